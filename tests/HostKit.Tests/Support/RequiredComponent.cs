namespace HostKit.Tests.Support;

/// <summary>
/// Outside components a test needs (Chromium...). Missing, the test is skipped with the reason, so a developer sees
/// what to install; under <c>HOSTKIT_REQUIRE_ALL=1</c> (set by .ci/run, which installs them) it fails instead.
/// </summary>
public static class RequiredComponent
{
    public static bool AllRequired => Environment.GetEnvironmentVariable("HOSTKIT_REQUIRE_ALL") == "1";

    /// <summary>
    /// A Python 3 that can import <paramref name="module"/>: the first <c>python3</c> on <c>PATH</c> that can, else Debian's
    /// <c>/usr/bin/python3</c> (a pyenv or venv <c>python3</c> earlier on <c>PATH</c> often lacks Debian's python3-redis).
    /// None: skips (or fails) the test, naming the package to install.
    /// </summary>
    public static string PythonWith(string module, string package)
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "python3"))
            .Append("/usr/bin/python3")
            .Where(System.IO.File.Exists)
            .Distinct();
        foreach (var python in candidates)
        {
            using var probe = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", $"import {module}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (probe.WaitForExit(TimeSpan.FromSeconds(20)) && probe.ExitCode == 0)
                return python;
        }
        var reason = $"no python3 on PATH or at /usr/bin/python3 can import {module}: install it with 'apt-get install -y {package}' (.ci/run does).";
        if (AllRequired)
            Assert.Fail(reason + " HOSTKIT_REQUIRE_ALL=1 makes this a failure.");
        Assert.Skip(reason);
        return "";
    }

    /// <summary>Returns <paramref name="path"/> when it exists; otherwise skips (or fails) the test, naming the package to install.</summary>
    public static string File(string path, string package)
    {
        if (System.IO.File.Exists(path))
            return path;
        var reason = $"{path} is missing: install it with 'apt-get install -y {package}' (.ci/run does).";
        if (AllRequired)
            Assert.Fail(reason + " HOSTKIT_REQUIRE_ALL=1 makes this a failure.");
        Assert.Skip(reason);
        return path;
    }
}
