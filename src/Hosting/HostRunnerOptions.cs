using HostKit.Hosts;

namespace HostKit.Hosting;

/// <summary>What an application tells <see cref="HostRunner"/> beyond how to build itself: what it needs and what it adds.</summary>
public sealed record HostRunnerOptions
{
    /// <summary>What the application needs from a host; a host that lacks it is refused with a clear message. Default: HTTP and websockets.</summary>
    public HostCapabilities Requires { get; init; } = HostCapabilities.Http | HostCapabilities.WebSockets;

    /// <summary>The hosts to choose from; when null, those the application references (<see cref="HostDiscovery.Registry"/>).</summary>
    public HostRegistry? Hosts { get; init; }

    /// <summary>Command-line options of the application's own, each mapped to a configuration key (see <see cref="ConfigurationOption"/>).</summary>
    public IReadOnlyList<ConfigurationOption> Options { get; init; } = [];

    /// <summary>
    /// What <c>--help</c> says above the options, e.g. the commands the application handles itself before calling the
    /// runner (the Demo's <c>emit</c>). Null: "Serves a HostKit application on the host of your choice."
    /// </summary>
    public string? Description { get; init; }

    /// <summary>
    /// The sections under <c>HostKit</c> the application reads (e.g. <c>HostKit:Chat</c>). Every other key under
    /// <c>HostKit</c> that the runner does not read is refused with a "did you mean" (<see cref="SettingsSection"/>).
    /// </summary>
    public IReadOnlyList<SettingsSection> Sections { get; init; } = [];

    /// <summary>
    /// Checks the configuration before anything starts, in every process: the single server, the <c>--workers</c>
    /// supervisor (which never builds the application) and each worker. An <see cref="InvalidOperationException"/>,
    /// <see cref="ArgumentException"/> or <see cref="FormatException"/> from it is printed and the exit code is 2.
    /// Null: nothing to check.
    /// </summary>
    public Action<HostRunnerContext>? Validate { get; init; }
}
