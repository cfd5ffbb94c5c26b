using System.Security.Cryptography;
using System.Text;

namespace HostKit.Chat;

/// <summary>Checks the <c>token=</c> a client gives against the configured ones, in constant time.</summary>
internal sealed class TokenPolicy(IReadOnlyList<string> acceptedTokens)
{
    // Comparing hashes keeps the time a comparison takes independent of the tokens, their length included.
    private readonly byte[][] _hashes = [.. acceptedTokens.Select(Hash)];

    /// <summary>True when no token is configured.</summary>
    public bool IsOpen => _hashes.Length == 0;

    public bool Accepts(string? token)
    {
        if (IsOpen)
            return true;
        if (string.IsNullOrEmpty(token))
            return false;
        var candidate = Hash(token);
        var accepted = false;
        foreach (var hash in _hashes)
            accepted |= CryptographicOperations.FixedTimeEquals(hash, candidate);
        return accepted;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
