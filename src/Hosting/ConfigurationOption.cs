namespace HostKit.Hosting;

/// <summary>
/// A command-line option of the application's own that sets one configuration key, so an application adds flags
/// without the runner knowing what they mean: <c>new ConfigurationOption("--backplane", "HostKit:Chat:Backplane", "...")</c>
/// makes <c>--backplane redis://127.0.0.1:6379</c> the same as <c>--set HostKit:Chat:Backplane=redis://127.0.0.1:6379</c>.
/// Like the runner's own options it is listed by <c>--help</c>, and a typo in it is an error, not a silent default.
/// </summary>
/// <param name="Name">The option, with its dashes: <c>--backplane</c>.</param>
/// <param name="Key">The configuration key it sets: <c>HostKit:Chat:Backplane</c>.</param>
/// <param name="Description">One line for <c>--help</c>.</param>
public sealed record ConfigurationOption(string Name, string Key, string Description)
{
    /// <summary>
    /// An environment variable that sets the same key, e.g. <c>HOSTKIT_BACKPLANE</c>. Every key can already be set as
    /// <c>HOSTKIT_</c> + the key after <c>HostKit:</c> with <c>__</c> for <c>:</c> (<c>HOSTKIT_CHAT__BACKPLANE</c>); this
    /// gives it a shorter name as well, which wins when both are set. Null: none.
    /// </summary>
    public string? EnvironmentVariable { get; init; }

    /// <summary>The value's name in <c>--help</c>, e.g. <c>URL</c>. Null: the option's name.</summary>
    public string? HelpName { get; init; }
}
