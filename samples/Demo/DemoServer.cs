using HostKit.Chat;
using HostKit.Chat.Redis;
using HostKit.Hosting;

namespace HostKit.Demo;

/// <summary>How the Demo serves: the runner's settings, the chat's, and the options the Demo adds, <c>--backplane</c> and <c>--otlp-endpoint</c>.</summary>
internal static class DemoServer
{
    /// <summary><c>--backplane redis://HOST:PORT</c> (or <c>HOSTKIT_BACKPLANE</c>): the chat's <c>HostKit:Chat:Backplane</c>.</summary>
    public static ConfigurationOption BackplaneOption { get; } = new(
        "--backplane",
        ChatOptions.SectionName + ":" + nameof(ChatOptions.Backplane),
        "Where chat rooms live: redis://HOST:PORT shares them with every node using that Redis (docs/backplane.md); default: this process only.")
    {
        EnvironmentVariable = "HOSTKIT_BACKPLANE",
        HelpName = "URL",
    };

    /// <summary>
    /// The runner's options for the Demo: <c>--backplane</c>, <c>--otlp-endpoint</c>, the chat's and the telemetry's sections (so a
    /// typo in them is refused with a "did you mean"), the checks.
    /// </summary>
    public static HostRunnerOptions Options { get; } = new()
    {
        Description = "The HostKit Demo (plaintext, json, echo, websocket echo, the chat page) on the host of your choice.\n" +
            $"Also: '{EmitCommand.Name} --backplane redis://HOST:PORT --room ROOM --text TEXT' posts one chat message through Redis and exits ({EmitCommand.Name} --help).",
        Options = [BackplaneOption, DemoTelemetry.EndpointOption],
        Sections = [new SettingsSection(ChatOptions.SectionName, typeof(ChatOptions)), new SettingsSection(DemoTelemetryOptions.SectionName, typeof(DemoTelemetryOptions))],
        Validate = Validate,
    };

    /// <summary>
    /// Makes the Demo with its chat on the configured backplane (in memory unless <c>--backplane</c> names Redis), and starts
    /// the OpenTelemetry export when <c>--otlp-endpoint</c> (or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>) names a collector: it is
    /// handed to <paramref name="telemetryStarted"/>, whose caller disposes it (a last flush) once the server has stopped.
    /// </summary>
    public static Application Build(HostRunnerContext context, Action<DemoTelemetry> telemetryStarted)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(telemetryStarted);
        var options = ChatOptions.FromConfiguration(context.Configuration);
        var backplane = ChatBackplanes.Create(options, context.LoggerFactory);
        if (DemoTelemetry.Start(context.Configuration, context.LoggerFactory) is { } telemetry)
            telemetryStarted(telemetry);
        return DemoApp.Create(new ChatServer(options, backplane, context.LoggerFactory));
    }

    /// <summary>
    /// Checked in every process before anything starts, the <c>--workers</c> supervisor included: bad chat settings, and
    /// several workers without a shared backplane, where each worker would keep rooms of its own and split the chat.
    /// </summary>
    private static void Validate(HostRunnerContext context)
    {
        DemoTelemetry.Validate(context.Configuration);
        var options = ChatOptions.FromConfiguration(context.Configuration);
        if (context.Workers > 1 && options.IsInProcess)
            throw new InvalidOperationException(
                $"--workers {context.Workers} would split the chat: each worker would keep rooms of its own, and members on different workers " +
                "would not see each other. Give the workers a shared backplane with --backplane redis://HOST:PORT (or HOSTKIT_BACKPLANE), or run one worker.");
        if (!options.IsInProcess && !RedisAddress.IsRedis(options.Backplane))
            throw new FormatException($"{BackplaneOption.Key} = '{options.Backplane}' is not a backplane: leave it empty (rooms in this process) or write redis://HOST:PORT.");
    }
}
