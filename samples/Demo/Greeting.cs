using System.Text.Json.Serialization;

namespace HostKit.Demo;

/// <summary>The body of <c>GET /json</c>.</summary>
internal sealed record Greeting([property: JsonPropertyName("message")] string Message);

/// <summary>Source-generated serialization: no reflection on the request path.</summary>
[JsonSerializable(typeof(Greeting))]
internal sealed partial class DemoJsonContext : JsonSerializerContext;
