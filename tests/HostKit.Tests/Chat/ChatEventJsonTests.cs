using System.Text.Json;
using HostKit.Chat;
using HostKit.Chat.Redis;
using StackExchange.Redis;

namespace HostKit.Tests.Chat;

/// <summary>
/// The chat's events on the wire (docs/chat.md): the member id is one more field, left out when an event has none, so that
/// clients written before it read every event as before, and events stored before it (in Redis, without the field) still read.
/// </summary>
public class ChatEventJsonTests
{
    [Fact]
    public void An_event_with_a_member_id_is_written_with_it_last_and_every_other_field_as_before()
    {
        var message = new ChatEvent(ChatEventType.Message, "lobby", "ann", "hi", 7, 1764600000000, "1764599990000123", "3f9a2c1b7e04");
        Assert.Equal(
            """{"type":"message","room":"lobby","name":"ann","text":"hi","id":7,"ts":1764600000000,"epoch":"1764599990000123","member":"3f9a2c1b7e04"}""",
            JsonSerializer.Serialize(message, ChatJsonContext.Default.ChatEvent));
    }

    [Fact]
    public void An_event_without_a_member_id_is_written_exactly_as_before_member_ids()
    {
        var join = new ChatEvent(ChatEventType.Join, "lobby", "ann", null, 1, 1764600000000, "1764599990000123");
        Assert.Equal("""{"type":"join","room":"lobby","name":"ann","id":1,"ts":1764600000000,"epoch":"1764599990000123"}""",
            JsonSerializer.Serialize(join, ChatJsonContext.Default.ChatEvent));
    }

    [Fact]
    public void A_members_own_join_says_you_in_its_copy_only()
    {
        var join = new ChatEvent(ChatEventType.Join, "lobby", "ann", null, 1, 1764600000000, "1764599990000123", "3f9a2c1b7e04");
        Assert.Equal(
            """{"type":"join","room":"lobby","name":"ann","id":1,"ts":1764600000000,"epoch":"1764599990000123","member":"3f9a2c1b7e04","you":true}""",
            JsonSerializer.Serialize(join with { You = true }, ChatJsonContext.Default.ChatEvent));
    }

    public static TheoryData<string, string?> Joins => new()
    {
        { "ann", "1764599990000123" },
        { "zoë \"the\" <b>&amp;</b> \\ 😀", "1764599990000123" },     // escaped by the serializer: the splice must not touch it
        { "bob", null },                                             // no epoch yet: member is the field before you
        { new string('x', 4000), "e" },                              // longer than the serializer's first buffer
    };

    [Theory]
    [MemberData(nameof(Joins))]
    public void A_members_own_join_is_the_rooms_bytes_with_you_spliced_in_byte_for_byte_what_serialising_it_makes(string name, string? epoch)
    {
        var join = new ChatEvent(ChatEventType.Join, "lobby", name, null, 1, 1764600000000, epoch, "3f9a2c1b7e04");
        var roomsJoin = ChatWire.Encode(join);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(join, ChatJsonContext.Default.ChatEvent), roomsJoin.Data.ToArray());
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(join with { You = true }, ChatJsonContext.Default.ChatEvent), ChatWire.EncodeOwnJoin(roomsJoin).Data.ToArray());
    }

    [Fact]
    public void A_members_own_join_on_the_wire_is_exactly_these_bytes()
    {
        var join = new ChatEvent(ChatEventType.Join, "lobby", "ann", null, 1, 1764600000000, "1764599990000123", "3f9a2c1b7e04");
        var roomsJoin = ChatWire.Encode(join);
        Assert.Equal("""{"type":"join","room":"lobby","name":"ann","id":1,"ts":1764600000000,"epoch":"1764599990000123","member":"3f9a2c1b7e04"}""", roomsJoin.Text);
        Assert.Equal("""{"type":"join","room":"lobby","name":"ann","id":1,"ts":1764600000000,"epoch":"1764599990000123","member":"3f9a2c1b7e04","you":true}""",
            ChatWire.EncodeOwnJoin(roomsJoin).Text);
    }

    [Fact]
    public void Events_written_before_member_ids_still_read_with_no_member()
    {
        var old = JsonSerializer.Deserialize("""{"type":"leave","room":"lobby","name":"ann","id":3,"ts":1764600005000,"epoch":"1764599990000123"}""",
            ChatJsonContext.Default.ChatEvent)!;
        Assert.Equal(new ChatEvent(ChatEventType.Leave, "lobby", "ann", null, 3, 1764600005000, "1764599990000123"), old);
        Assert.Null(old.Member);
    }

    [Fact]
    public void A_redis_entry_reads_its_member_and_one_stored_before_member_ids_reads_without()
    {
        var before = Entry("5-0", "type", "message", "name", "ann", "ts", "1764600000000", "text", "hi");
        Assert.Equal(new ChatEvent(ChatEventType.Message, "lobby", "ann", "hi", 5, 1764600000000, "e1"), RedisChatEntries.ToEvent("lobby", before, "e1"));

        var now = Entry("6-0", "type", "leave", "name", "ann", "ts", "1764600001000", "member", "3f9a2c1b7e04");
        Assert.Equal(new ChatEvent(ChatEventType.Leave, "lobby", "ann", null, 6, 1764600001000, "e1", "3f9a2c1b7e04"), RedisChatEntries.ToEvent("lobby", now, "e1"));
    }

    [Fact]
    public void Member_ids_are_twelve_lower_case_hex_digits_and_differ()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => ChatMemberId.New()).ToList();
        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{12}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    private static RedisResult Entry(string id, params string[] fields) =>
        RedisResult.Create([RedisResult.Create((RedisValue)id), RedisResult.Create(fields.Select(f => (RedisValue)f).ToArray())]);
}
