using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>The chat's wire format, source-generated: no reflection when an event is written or read.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatEvent))]
[JsonSerializable(typeof(GapNotice))]
[JsonSerializable(typeof(ErrorNotice))]
[JsonSerializable(typeof(AckNotice))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
