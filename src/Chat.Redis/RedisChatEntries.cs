using System.Globalization;
using HostKit.Chat.Backplane;
using StackExchange.Redis;

namespace HostKit.Chat.Redis;

/// <summary>Turns what the scripts return into chat events and histories.</summary>
internal static class RedisChatEntries
{
    /// <summary>A stream entry <c>[ "ID-0", [field, value, ...] ]</c> of <paramref name="room"/> as the event members get.</summary>
    /// <exception cref="InvalidDataException">The entry is not one HostKit's script writes; the message says what is wrong.</exception>
    public static ChatEvent ToEvent(string room, RedisResult entry, string? epoch = null)
    {
        var parts = (RedisResult[])entry!;
        var entryId = (string)parts[0]!;
        var fields = (RedisResult[])parts[1]!;
        string? type = null, name = null, text = null, ts = null, member = null;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var value = (string?)fields[i + 1];
            switch ((string?)fields[i])
            {
                case "type": type = value; break;
                case "name": name = value; break;
                case "text": text = value; break;
                case "ts": ts = value; break;
                case "member": member = value; break; // absent from entries stored before members had ids
            }
        }
        var dash = entryId.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0 || !long.TryParse(entryId.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            throw Malformed(room, entryId, "its entry id is not ID-0");
        var kind = type switch
        {
            "message" => ChatEventType.Message,
            "join" => ChatEventType.Join,
            "leave" => ChatEventType.Leave,
            _ => throw Malformed(room, entryId, $"its type is '{type}', not message, join or leave"),
        };
        if (string.IsNullOrEmpty(name))
            throw Malformed(room, entryId, "it has no name");
        if (!long.TryParse(ts, NumberStyles.None, CultureInfo.InvariantCulture, out var millis))
            throw Malformed(room, entryId, "its ts is not Unix milliseconds");
        return new ChatEvent(kind, room, name, kind == ChatEventType.Message ? text ?? string.Empty : null, id, millis, epoch, member);
    }

    /// <summary>The result of read.lua: <c>{newest, {oldest entry} or {}, entries, epoch or ''}</c>, entries in id order.</summary>
    public static ChatHistory ToHistory(string room, RedisResult result, bool newestFirst)
    {
        var parts = (RedisResult[])result!;
        var newest = (long)parts[0];
        var oldest = (RedisResult[])parts[1]!;
        var entries = (RedisResult[])parts[2]!;
        var epoch = Epoch(parts[3]);
        var events = new ChatEvent[entries.Length];
        for (var i = 0; i < entries.Length; i++)
            events[newestFirst ? entries.Length - 1 - i : i] = ToEvent(room, entries[i], epoch);
        var oldestKept = oldest.Length > 0 ? ToEvent(room, oldest[0]).Id : newest + 1;
        return new ChatHistory(events, oldestKept, newest, epoch);
    }

    /// <summary>The epoch the scripts return: '' when the room has none yet.</summary>
    public static string? Epoch(RedisResult value) => (string?)value is { Length: > 0 } epoch ? epoch : null;

    private static InvalidDataException Malformed(string room, string entryId, string why) =>
        new($"The entry {entryId} of hostkit:chat:{{{room}}}:events was not written by HostKit's append script: {why} (docs/backplane.md).");
}
