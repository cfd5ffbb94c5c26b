using System.Collections;
using HostKit.Hosts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

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
    /// <param name="applicationOptions">The application's own options, whose <see cref="ConfigurationOption.EnvironmentVariable"/> are read too.</param>
    /// <exception cref="HostStartException">A <c>--config</c> file that does not exist or is not valid json.</exception>
    public static IConfiguration Build(IReadOnlyDictionary<string, string?> commandLine, IDictionary? environment = null, string? baseDirectory = null,
        IReadOnlyList<ConfigurationOption>? applicationOptions = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var directory = baseDirectory ?? Directory.GetCurrentDirectory();
        var variables = environment ?? Environment.GetEnvironmentVariables();
        commandLine.TryGetValue("HostKit:Config", out var configPath);
        var named = !string.IsNullOrEmpty(configPath);
        var jsonPath = Path.GetFullPath(named ? configPath! : DefaultJsonFile, directory);
        if (named && !File.Exists(jsonPath))
            throw new HostStartException(Directory.Exists(jsonPath)
                ? $"The configuration file '{jsonPath}' is a directory; name a json file."
                : $"The configuration file '{jsonPath}' does not exist.");

        // A file provider of our own for the file's folder: the default one skips dot-files
        // (ExclusionFilters.Sensitive), which would silently ignore `--config .hostkit.json`.
        using var files = new PhysicalFileProvider(Path.GetDirectoryName(jsonPath)!, ExclusionFilters.None);
        try
        {
            return new ConfigurationBuilder()
                .AddJsonFile(files, Path.GetFileName(jsonPath), optional: !named, reloadOnChange: false)
                .AddInMemoryCollection(FromEnvironment(variables))
                .AddInMemoryCollection(FromOwnVariables(variables, applicationOptions ?? []))
                .AddInMemoryCollection(commandLine)
                .Build();
        }
        catch (InvalidDataException ex)
        {
            throw new HostStartException($"The configuration file '{jsonPath}' is not valid json: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostStartException($"The configuration file '{jsonPath}' cannot be read: {ex.Message}", ex);
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

    /// <summary>Each application option's own variable (<c>HOSTKIT_BACKPLANE</c>) sets its key: a layer above the general mapping, so it wins.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> FromOwnVariables(IDictionary environment, IReadOnlyList<ConfigurationOption> applicationOptions)
    {
        foreach (var option in applicationOptions)
        {
            if (option.EnvironmentVariable is { } variable && environment[variable] is string value)
                yield return KeyValuePair.Create(option.Key, (string?)value);
        }
    }
}
