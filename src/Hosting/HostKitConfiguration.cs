using System.Collections;
using System.Text.Json;
using HostKit.Hosts;
using Microsoft.Extensions.Configuration;

namespace HostKit.Hosting;

/// <summary>
/// Builds the runner's configuration, lowest precedence first: an optional json file, environment variables
/// <c>HOSTKIT_HOST</c>, <c>HOSTKIT_URLS</c>, <c>HOSTKIT_PORT</c>... and the command line.
/// The json file is the first of: <c>--config PATH</c> (relative to the working directory), <c>hostkit.json</c> in the
/// working directory, <c>hostkit.json</c> beside the application (its output folder, where a project copies it), so
/// <c>dotnet run --project MyApp</c> from any folder finds the app's own file, and one in the folder it runs from wins.
/// </summary>
public static class HostKitConfiguration
{
    /// <summary>The json file read when no <c>--config</c> is given; it may be absent.</summary>
    public const string DefaultJsonFile = "hostkit.json";

    // As the json configuration provider reads a file: comments and trailing commas are allowed.
    private static readonly JsonDocumentOptions JsonOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Builds the configuration.</summary>
    /// <param name="commandLine">Values from the command line, as configuration keys (see <see cref="HostKitCommandLine"/>).</param>
    /// <param name="environment">The environment variables; the process's own when null.</param>
    /// <param name="baseDirectory">The working directory: where a relative <c>--config</c> path, then <c>hostkit.json</c>, is looked up; the process's when null.</param>
    /// <param name="applicationOptions">The application's own options, whose <see cref="ConfigurationOption.EnvironmentVariable"/> are read too.</param>
    /// <param name="applicationDirectory">Where <c>hostkit.json</c> is looked for when the working directory has none; <see cref="AppContext.BaseDirectory"/> when null.</param>
    /// <exception cref="HostStartException">A <c>--config</c> file that does not exist, or a json file that is not valid json (the message gives its line and column).</exception>
    public static IConfiguration Build(IReadOnlyDictionary<string, string?> commandLine, IDictionary? environment = null, string? baseDirectory = null,
        IReadOnlyList<ConfigurationOption>? applicationOptions = null, string? applicationDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var variables = environment ?? Environment.GetEnvironmentVariables();
        var builder = new ConfigurationBuilder();
        if (FindJsonFile(commandLine, baseDirectory ?? Directory.GetCurrentDirectory(), applicationDirectory ?? AppContext.BaseDirectory) is { } jsonPath)
            builder.Add(new SettingsLayer("in " + jsonPath, IsChecked: true, ReadJson(jsonPath)) { File = jsonPath });
        return builder
            .Add(new SettingsLayer("from the environment (HOSTKIT_*)", IsChecked: false, FromEnvironment(variables, applicationOptions ?? [])))
            .Add(new SettingsLayer("from the environment", IsChecked: false, FromOwnVariables(variables, applicationOptions ?? [])))
            .Add(new SettingsLayer("on the command line", IsChecked: true, commandLine))
            .Build();
    }

    /// <summary>The json file <paramref name="configuration"/> was read from, or null when it has none.</summary>
    public static string? JsonFile(IConfiguration configuration) =>
        SettingsLayer.All(configuration).Select(layer => layer.File).FirstOrDefault(file => file is not null);

    /// <summary>The json file to read: the one <c>--config</c> names (which must exist), else the first <c>hostkit.json</c> found; null when there is none.</summary>
    private static string? FindJsonFile(IReadOnlyDictionary<string, string?> commandLine, string workingDirectory, string applicationDirectory)
    {
        if (commandLine.TryGetValue("HostKit:Config", out var named) && !string.IsNullOrEmpty(named))
        {
            var path = Path.GetFullPath(named, workingDirectory);
            return File.Exists(path) ? path : throw new HostStartException(Directory.Exists(path)
                ? $"--config '{path}' is a directory: name a json file."
                : $"--config '{path}' does not exist: name a json file with a \"HostKit\" section, or leave --config out to read {DefaultJsonFile}.");
        }
        return new[] { workingDirectory, applicationDirectory }
            .Select(directory => Path.GetFullPath(DefaultJsonFile, directory))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The file's keys as the json configuration provider flattens them, after a parse of our own that can say where the json breaks.</summary>
    private static List<KeyValuePair<string, string?>> ReadJson(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostStartException($"{path} cannot be read: {ex.Message}", ex);
        }
        try
        {
            using (var document = JsonDocument.Parse(bytes, JsonOptions))
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new HostStartException($"{path}:1:1: not a HostKit configuration: the file must hold one json object, such as {{ \"HostKit\": {{ \"Host\": \"raw\" }} }}.");
            }
            using var stream = new MemoryStream(bytes);
            return [.. new ConfigurationBuilder().AddJsonStream(stream).Build().AsEnumerable().Where(p => p.Value is not null)];
        }
        catch (JsonException ex)
        {
            // JsonException counts lines and bytes from 0; editors count from 1.
            var reason = ex.Message.Split(" LineNumber:", 2)[0].TrimEnd();
            throw new HostStartException($"{path}:{ex.LineNumber + 1}:{ex.BytePositionInLine + 1}: not valid json: {reason} Fix the file, or name another with --config.", ex);
        }
    }

    /// <summary><c>HOSTKIT_HOST</c> becomes <c>HostKit:HOST</c>, <c>HOSTKIT_LIMITS__MAXREQUESTBODYBYTES</c> becomes <c>HostKit:LIMITS:MAXREQUESTBODYBYTES</c> (keys are case-insensitive).</summary>
    /// <remarks>An application option's own variable (<c>HOSTKIT_BACKPLANE</c>) is read by <see cref="FromOwnVariables"/> only: read here too it would be a key nobody reads.</remarks>
    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment, IReadOnlyList<ConfigurationOption> applicationOptions)
    {
        const string Prefix = "HOSTKIT_";
        var own = applicationOptions.Select(o => o.EnvironmentVariable).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string key && key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) && key.Length > Prefix.Length && !own.Contains(key))
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
