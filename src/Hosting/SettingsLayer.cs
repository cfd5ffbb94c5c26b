using Microsoft.Extensions.Configuration;

namespace HostKit.Hosting;

/// <summary>
/// One layer of the runner's configuration (the json file, the environment, the command line) that knows where its
/// values came from, so an error can say "in /srv/app/hostkit.json" or "on the command line".
/// </summary>
/// <param name="Origin">Where the values came from, as the end of a sentence: <c>in /srv/app/hostkit.json</c>.</param>
/// <param name="IsChecked">
/// True when a key in this layer that nobody reads is an error. False for the environment: the <c>HOSTKIT_</c> prefix is
/// shared with switches of HostKit's tests and scripts (<c>HOSTKIT_REQUIRE_ALL</c>), which are no settings; there only a
/// key that is surely a mistake is refused (<see cref="SettingsCheck"/>).
/// </param>
/// <param name="Values">The keys and values.</param>
internal sealed record SettingsLayer(string Origin, bool IsChecked, IEnumerable<KeyValuePair<string, string?>> Values) : IConfigurationSource
{
    /// <summary>The json file the values were read from; null for other layers.</summary>
    public string? File { get; init; }

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    /// <summary>The layers of <paramref name="configuration"/>, lowest precedence first (none for a configuration not built by <see cref="HostKitConfiguration"/>).</summary>
    public static IEnumerable<SettingsLayer> All(IConfiguration configuration) =>
        configuration is IConfigurationRoot root ? root.Providers.OfType<Provider>().Select(p => p.Layer) : [];

    /// <summary>Where <paramref name="section"/>'s value (or the first of the values below it) came from, highest precedence first; null when no layer knows.</summary>
    public static SettingsLayer? Of(IConfiguration configuration, IConfigurationSection section)
    {
        if (configuration is not IConfigurationRoot root)
            return null;
        var keys = section.AsEnumerable().Where(p => p.Value is not null).Select(p => p.Key).ToList();
        return root.Providers.OfType<Provider>().LastOrDefault(p => keys.Any(k => p.TryGet(k, out _)))?.Layer;
    }

    private sealed class Provider(SettingsLayer layer) : ConfigurationProvider
    {
        public SettingsLayer Layer => layer;

        public override void Load()
        {
            foreach (var (key, value) in layer.Values)
                Data[key] = value;
        }
    }
}
