namespace HostKit.Hosts.Runtime;

/// <summary>What a trusted proxy says about the request it passed on.</summary>
/// <param name="ClientAddress">The client's address (<c>REMOTE_ADDR</c>): an IP address, or an RFC 7239 obfuscated identifier (<c>unknown</c>, <c>_hidden</c>); null when the proxy did not say (the peer's address stays).</param>
/// <param name="ClientPort">The client's port when the proxy gave it (RFC 7239 <c>for="1.2.3.4:5678"</c>), else 0, as uvicorn reports it.</param>
/// <param name="Scheme">The scheme the client used (<c>http</c> or <c>https</c>), or null when the proxy did not say.</param>
/// <param name="Host">The <c>Host</c> the client sent (<c>host[:port]</c>), or null when the proxy did not say.</param>
internal readonly record struct ForwardedRequest(string? ClientAddress, int ClientPort, string? Scheme, string? Host);
