using System.Collections.Specialized;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HostKit.Chat;

/// <summary>What a client asked for in <c>/ws/chat?room=R&amp;name=N[&amp;after=ID[&amp;epoch=E]][&amp;token=T]</c>, validated.</summary>
/// <param name="Room">The room: 1 to 64 of <c>A-Z a-z 0-9 _ -</c>.</param>
/// <param name="Name">The member's name: 1 to 32 printable characters.</param>
/// <param name="After">The last event id the client has, when it resumes; null for a fresh join.</param>
/// <param name="Epoch">The epoch of the room's log that <paramref name="After"/> belongs to, when the client knows it.</param>
internal sealed partial record ChatRequest(string Room, string Name, long? After, string? Epoch = null)
{
    public const int MaxNameLength = 32;

    /// <summary>Validates the decoded query; on failure, <paramref name="reason"/> says what is wrong, for the 400 body.</summary>
    public static bool TryCreate(NameValueCollection query, out ChatRequest request, out string reason)
    {
        request = null!;
        if (!TryGetSingle(query, "room", out var room, out reason) || !TryGetSingle(query, "name", out var name, out reason))
            return false;
        if (room is null || !RoomPattern().IsMatch(room))
            return Fail("room must be 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'", out reason);
        if (name is null || !IsPrintableName(name))
            return Fail($"name must be 1 to {MaxNameLength} printable characters, at least one of them visible (not only spaces or combining marks)", out reason);
        if (!TryGetSingle(query, "after", out var afterText, out reason))
            return false;
        long? after = null;
        if (afterText is not null)
        {
            if (!long.TryParse(afterText, NumberStyles.None, CultureInfo.InvariantCulture, out var afterId))
                return Fail("after must be an event id: a whole number, 0 or more", out reason);
            after = afterId;
        }
        if (!TryGetSingle(query, "epoch", out var epoch, out reason))
            return false;
        if (epoch is not null && (after is null || !EpochPattern().IsMatch(epoch)))
            return Fail("epoch must come with after, and be 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-' (as the events carry it)", out reason);
        request = new ChatRequest(room, name, after, epoch);
        return true;
    }

    private static bool TryGetSingle(NameValueCollection query, string key, out string? value, out string reason)
    {
        var values = query.GetValues(key);
        value = values?[0];
        reason = string.Empty;
        return values is not { Length: > 1 } || Fail($"{key} is given more than once", out reason);
    }

    /// <summary>
    /// 1 to 32 characters (Unicode scalar values), none of them a control, format, separator other than the space,
    /// private-use, unassigned or replacement character, and at least one that shows (not only spaces or combining
    /// marks): what shows the same in every member's list.
    /// </summary>
    internal static bool IsPrintableName(string name)
    {
        var count = 0;
        var visible = false;
        foreach (var rune in name.EnumerateRunes())
        {
            if (++count > MaxNameLength)
                return false;
            // Invalid UTF-8 in the query and lone surrogates both decode to U+FFFD.
            if (rune == Rune.ReplacementChar)
                return false;
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.Surrogate)
                return false;
            if (category == UnicodeCategory.SpaceSeparator && rune.Value != ' ')
                return false;
            visible |= Shows(rune, category);
        }
        return visible;
    }

    /// <summary>
    /// False for what takes no room of its own: white space, marks that combine with the character before them
    /// (a name of only U+0301 shows as nothing), and the letters and symbols fonts draw blank (Hangul fillers, the
    /// blank Braille pattern). A name needs at least one character that shows.
    /// </summary>
    private static bool Shows(Rune rune, UnicodeCategory category) =>
        !Rune.IsWhiteSpace(rune)
        && category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
        && rune.Value is not (0x115F or 0x1160 or 0x2800 or 0x3164 or 0xFFA0);

    private static bool Fail(string why, out string reason)
    {
        reason = why;
        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    internal static partial Regex RoomPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex EpochPattern();
}
