using System.Text.Json.Serialization;

namespace HostKit.Chat;

/// <summary>What happened in a room; written in JSON as <c>"join"</c>, <c>"leave"</c> or <c>"message"</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChatEventType>))]
public enum ChatEventType
{
    /// <summary>A member connected.</summary>
    [JsonStringEnumMemberName("join")]
    Join,

    /// <summary>A member disconnected.</summary>
    [JsonStringEnumMemberName("leave")]
    Leave,

    /// <summary>A member said something.</summary>
    [JsonStringEnumMemberName("message")]
    Message,
}
