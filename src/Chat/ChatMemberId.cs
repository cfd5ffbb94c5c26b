using System.Security.Cryptography;

namespace HostKit.Chat;

/// <summary>
/// The id the server gives each chat connection (<c>"member":"3f9a2c1b7e04"</c>): what tells apart two members who share a
/// name, in join, leave and message events. Random, so nodes sharing a backplane need not agree on anything to give ids that
/// differ: 48 bits from the system's generator, so that two of 1,000 members of a room share one with odds of about one in
/// 500 million, a risk not worth coordinating the nodes for.
/// </summary>
internal static class ChatMemberId
{
    /// <summary>The length of an id: 12 lower-case hexadecimal digits.</summary>
    public const int Length = 12;

    /// <summary>A new id, for a new connection.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));
}
