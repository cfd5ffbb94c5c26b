using System.Collections;
using Microsoft.Extensions.Configuration;

namespace HostKit.Hosting;

/// <summary>
/// Builds the runner's configuration, lowest precedence first: an optional json file
/// (<c>hostkit.json</c> in the working directory, or <c>--config PATH</c>), environment variables
/// <c>HOSTKIT_HOST</c>, <c>HOSTKIT_URLS</c>, <c>HOSTKIT_PORT</c>... and the command line.
/// </summary>
public static class HostKitConfiguration
{
    /// <summary>The json file read when no <c>--config</c> is given; it may be absent.</summary>
    public const string DefaultJsonFile = "hostkit.json";

    /// <summary>Builds the configuration.</summary>
    /// <param name="commandLine">Values from the command line, as configuration keys (see <see cref="HostKitCommandLine"/>).</param>
    /// <param name="environment">The environment variables; the process's own when null.</param>
    /// <param name="baseDirectory">Where a relative json path is looked up; the working directory when null.</param>
    /// <exception cref="HostStartException">A <c>--config</c> file that does not exist or is not valid json.</exception>
    public static IConfiguration Build(IReadOnlyDictionary<string, string?> commandLine, IDictionary? environment = null, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var directory = baseDirectory ?? Directory.GetCurrentDirectory();
        commandLine.TryGetValue("HostKit:Config", out var configPath);
        var jsonPath = Path.GetFullPath(configPath ?? DefaultJsonFile, directory);
        if (configPath is not null && !File.Exists(jsonPath))
            throw new HostStartException($"The configuration file '{jsonPath}' does not exist.");

        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(jsonPath, optional: true, reloadOnChange: false)
                .AddInMemoryCollection(FromEnvironment(environment ?? Environment.GetEnvironmentVariables()))
                .AddInMemoryCollection(commandLine)
                .Build();
        }
        catch (InvalidDataException ex)
        {
            throw new HostStartException($"The configuration file '{jsonPath}' is not valid json: {ex.Message}", ex);
        }
    }

    /// <summary><c>HOSTKIT_HOST</c> becomes <c>HostKit:HOST</c>, <c>HOSTKIT_LIMITS__MAXREQUESTBODYBYTES</c> becomes <c>HostKit:LIMITS:MAXREQUESTBODYBYTES</c> (keys are case-insensitive).</summary>
    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment)
    {
        const string Prefix = "HOSTKIT_";
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string key && key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && key.Length > Prefix.Length)
                yield return KeyValuePair.Create("HostKit:" + key[Prefix.Length..].Replace("__", ":", StringComparison.Ordinal), entry.Value as string);
        }
    }
}
