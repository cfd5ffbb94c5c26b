namespace HostKit.Tests.Support;

/// <summary>
/// Outside components a test needs (Chromium...). Missing, the test is skipped with the reason, so a developer sees
/// what to install; under <c>HOSTKIT_REQUIRE_ALL=1</c> (set by .ci/run, which installs them) it fails instead.
/// </summary>
public static class RequiredComponent
{
    public static bool AllRequired => Environment.GetEnvironmentVariable("HOSTKIT_REQUIRE_ALL") == "1";

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
