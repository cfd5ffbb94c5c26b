using System.Reflection;

namespace HostKit.Hosting.Workers;

/// <summary>How to start another process of this very application, with the same arguments.</summary>
/// <param name="FileName">The program: the app's own executable, or <c>dotnet</c> when it was started as <c>dotnet app.dll</c>.</param>
/// <param name="Arguments">Its arguments.</param>
internal sealed record WorkerCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The command that started this process, with <paramref name="args"/>.</summary>
    public static WorkerCommand ForThisProcess(string[] args)
    {
        var program = Environment.ProcessPath ?? throw new InvalidOperationException("--workers cannot tell which program this process runs.");
        var entry = Assembly.GetEntryAssembly()?.Location;
        // `dotnet app.dll`: the process is the dotnet host, and the app is its first argument.
        if (Path.GetFileNameWithoutExtension(program) == "dotnet" && !string.IsNullOrEmpty(entry))
            return new WorkerCommand(program, [entry, .. args]);
        return new WorkerCommand(program, args);
    }
}
