namespace HostKit.Bench;

/// <summary>
/// Where the runner finds what it starts: the repository root (found by walking up to
/// <c>HostKit.sln</c>), the Demo and BareKestrel builds of the same configuration as the runner, the
/// C sources, wrk scripts and baseline apps under <c>bench/</c>.
/// </summary>
internal sealed class RepositoryLayout
{
    private RepositoryLayout(string root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    /// <summary>The repository root (the folder holding HostKit.sln).</summary>
    public string Root { get; }

    /// <summary>Release or Debug: the configuration this runner was built in, and so its references.</summary>
    public string Configuration { get; }

    public string DemoAssembly => Path.Combine(Root, "samples", "Demo", "bin", Configuration, "net10.0", "HostKit.Demo.dll");

    public string BareKestrelAssembly => Path.Combine(Root, "bench", "BareKestrel", "bin", Configuration, "net10.0", "BareKestrel.dll");

    public string NativeSources => Path.Combine(Root, "bench", "native");

    /// <summary>Compiled C tools go to the runner's obj folder: built per machine, never committed.</summary>
    public string NativeBinaries => Path.Combine(Root, "bench", "HostKit.Bench", "obj", "native");

    public string WrkScripts => Path.Combine(Root, "bench", "wrk");

    public string PythonBaselines => Path.Combine(Root, "bench", "baselines", "python");

    public string NodeBaseline => Path.Combine(Root, "bench", "baselines", "node");

    public string Results => Path.Combine(Root, "bench", "results");

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
        throw new InvalidOperationException($"No HostKit.sln above {AppContext.BaseDirectory}: run the runner from its repository.");
    }
}
