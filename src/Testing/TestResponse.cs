using System.Text;

namespace HostKit.Testing;

/// <summary>What an application answered to a <see cref="TestClient"/> request.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Headers">The headers, as the application gave them plus <c>Content-Length</c> when the body's length is known.</param>
/// <param name="Body">The body bytes (empty for HEAD).</param>
public sealed record TestResponse(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    /// <summary>The body decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The first header called <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
