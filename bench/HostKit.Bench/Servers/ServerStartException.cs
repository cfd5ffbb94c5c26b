namespace HostKit.Bench.Servers;

/// <summary>A server that exited or never answered: its rows record the reason instead of figures.</summary>
internal sealed class ServerStartException(string message) : Exception(message);
