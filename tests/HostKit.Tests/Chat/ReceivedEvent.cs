using System.Text.Json;

namespace HostKit.Tests.Chat;

/// <summary>A chat message as a client reads it off the wire (any of join, leave, message, gap, error, ack), with its raw JSON.</summary>
public sealed record ReceivedEvent(string Type, string? Room, string? Name, string? Text, long? Id, long? Ts, long? From, long? To, string? Reason,
    string? Cid = null, string? Outcome = null, bool? Reset = null, string? Epoch = null, string? Member = null, bool? You = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Raw { get; init; } = "";

    public static ReceivedEvent Parse(string json) =>
        (JsonSerializer.Deserialize<ReceivedEvent>(json, Json) ?? throw new Xunit.Sdk.XunitException("Not an event: " + json)) with { Raw = json };

    public override string ToString() => Raw;
}
