namespace HostKit.Hosting.Workers;

/// <summary>
/// What a supervisor tells each worker, as environment variables that the runner's configuration maps to
/// <c>HostKit:Worker:*</c> keys (<see cref="HostKitSettings.WorkerId"/>): which worker it is and where to listen.
/// </summary>
internal static class WorkerEnvironment
{
    /// <summary>The worker's number, 1 to N: <c>HostKit:Worker:Id</c>.</summary>
    public const string Id = "HOSTKIT_WORKER__ID";

    /// <summary>The addresses the supervisor reserved, <c>;</c>-separated, port 0 resolved: <c>HostKit:Worker:Urls</c>.</summary>
    public const string Urls = "HOSTKIT_WORKER__URLS";
}
