namespace HostKit.Bench;

/// <summary>
/// Where the runner finds what it starts: the repository root (found by walking up to
/// <c>HostKit.sln</c>), the Demo and BareKestrel builds of the same configuration as the runner, the
/// baseline apps under <c>bench/</c>; the C sources and wrk scripts it carries in its own folder. Run as the
/// <c>hostkit-bench</c> tool, outside any clone, there is no repository: only an application named with
/// <c>--app</c> can be measured, the C tools are compiled into the user's data folder and the report goes to
/// <c>./hostkit-bench-results</c>.
/// </summary>
internal sealed class RepositoryLayout
{
    private static readonly string Carried = AppContext.BaseDirectory;

    private RepositoryLayout(string? root, string configuration)
    {
        RootOrNull = root;
        Configuration = configuration;
    }

    /// <summary>True when the runner runs from a clone (the Demo and the baselines are there to measure).</summary>
    public bool InRepository => RootOrNull is not null;

    /// <summary>The repository root (the folder holding HostKit.sln), or null outside one.</summary>
    public string? RootOrNull { get; }

    /// <summary>The repository root (the folder holding HostKit.sln).</summary>
    public string Root => RootOrNull ?? throw new InvalidOperationException(
        "Not in a HostKit clone: name the application to measure with --app (a project or a built .dll) and its workloads with --http, --ws or --workload-file.");

    /// <summary>Release or Debug: the configuration this runner was built in, and so its references.</summary>
    public string Configuration { get; }

    public string DemoAssembly => Path.Combine(Root, "samples", "Demo", "bin", Configuration, "net10.0", "HostKit.Demo.dll");

    public string BareKestrelAssembly => Path.Combine(Root, "bench", "BareKestrel", "bin", Configuration, "net10.0", "BareKestrel.dll");

    /// <summary>The C sources, copied beside the runner at build (bench/native).</summary>
    public string NativeSources => Path.Combine(Carried, "native");

    /// <summary>Compiled C tools go to the runner's obj folder (outside a clone, the user's data folder): built per machine, never committed.</summary>
    public string NativeBinaries => RootOrNull is { } root
        ? Path.Combine(root, "bench", "HostKit.Bench", "obj", "native")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "hostkit-bench", "native");

    /// <summary>
    /// Files a run makes and throws away (the TLS variants' certificate, the access log variants' output): the runner's obj
    /// folder, on disk and never committed; outside a clone, the user's data folder.
    /// </summary>
    public string Scratch => Path.Combine(Path.GetDirectoryName(NativeBinaries)!, "scratch");

    /// <summary>The wrk scripts, copied beside the runner at build (bench/wrk).</summary>
    public string WrkScripts => Path.Combine(Carried, "wrk");

    public string PythonBaselines => Path.Combine(Root, "bench", "baselines", "python");

    public string NodeBaseline => Path.Combine(Root, "bench", "baselines", "node");

    public string Results => RootOrNull is { } root ? Path.Combine(root, "bench", "results") : Path.GetFullPath("hostkit-bench-results");

    /// <summary>Finds the repository from the runner's own location.</summary>
    public static RepositoryLayout Locate()
    {
        var binary = new DirectoryInfo(AppContext.BaseDirectory);
        // bin/<Configuration>/net10.0/: the configuration is the folder above the target framework.
        var configuration = binary.Parent?.Name is "Release" or "Debug" ? binary.Parent.Name : "Release";
        for (var folder = binary; folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "HostKit.sln")))
                return new RepositoryLayout(folder.FullName, configuration);
        }
        return new RepositoryLayout(null, configuration);
    }
}
