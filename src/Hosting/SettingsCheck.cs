using System.ComponentModel;
using HostKit.Hosts;
using Microsoft.Extensions.Configuration;

namespace HostKit.Hosting;

/// <summary>
/// Checks every key under <c>HostKit</c> against what the runner and the application read (<see cref="SettingsShape"/>):
/// a key nobody reads is an error with a "did you mean", and a value that does not convert to its setting's type is an
/// error that says what to write, each in one line that says where the key came from. Keys from the environment are
/// refused only when surely mistaken (see <see cref="SettingsLayer.IsChecked"/> and <see cref="IsTypo"/>), but their values
/// are checked like any other.
/// </summary>
internal static class SettingsCheck
{
    /// <summary>The section checked: everything below it belongs to HostKit or to an application that declared it.</summary>
    public const string Root = "HostKit";

    /// <summary>Checks <paramref name="section"/> (by default the whole <c>HostKit</c> section) of <paramref name="configuration"/> against <paramref name="shape"/>.</summary>
    /// <exception cref="HostStartException">The first unknown key or malformed value found.</exception>
    public static void Check(IConfiguration configuration, SettingsShape shape, IConfigurationSection? section = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(shape);
        if (section is null)
            CheckOutside(configuration, shape);
        Walk(configuration, section ?? configuration.GetSection(Root), shape);
    }

    /// <summary>
    /// Keys outside <c>HostKit</c> are the application's, which may read any, so they are not refused; but a HostKit setting
    /// written without its section (<c>{ "Host": "raw" }</c>, <c>--set Urls=...</c>) or a section named almost <c>HostKit</c>
    /// (<c>HotsKit</c>) would be ignored in silence, and is a mistake HostKit can name.
    /// </summary>
    private static void CheckOutside(IConfiguration configuration, SettingsShape shape)
    {
        foreach (var child in configuration.GetChildren())
        {
            if (string.Equals(child.Key, Root, StringComparison.OrdinalIgnoreCase) || SettingsLayer.Of(configuration, child) is not { IsChecked: true })
                continue;
            var where = Origin(configuration, child);
            if (shape.Find(child.Key) is not null)
                throw new HostStartException($"{child.Path}{where} is outside the {Root} section, where HostKit does not read it: write it as {Root}:{child.Key} (in a json file, {{ \"{Root}\": {{ \"{child.Key}\": ... }} }}).");
            if (Suggestion.Closest(child.Key, [Root]) is not null)
                throw new HostStartException($"{child.Path}{where} is not a section HostKit reads. Did you mean {Root}?");
        }
    }

    private static void Walk(IConfiguration configuration, IConfigurationSection section, SettingsShape shape)
    {
        foreach (var child in section.GetChildren())
        {
            var found = shape.Find(child.Key);
            if (found is null)
            {
                if (SettingsLayer.Of(configuration, child) is not { IsChecked: false } || IsTypo(child, section, shape))
                    throw Unknown(configuration, child, section, shape);
                continue;
            }
            if (found.ValueType is { } type && child.Value is not null)
                CheckValue(configuration, child, type);
            Walk(configuration, child, found);
        }
    }

    /// <summary>
    /// An unknown key from a layer that is not checked (the environment) is still refused when it is surely a mistake:
    /// below a section HostKit or the application reads (<c>HOSTKIT_LIMITS__MAXBODY</c>), where no switch of a test or
    /// script lives, or one typo from a setting (<c>HOSTKIT_HOTS</c>).
    /// </summary>
    private static bool IsTypo(IConfigurationSection key, IConfigurationSection parent, SettingsShape shape) =>
        !string.Equals(parent.Path, Root, StringComparison.OrdinalIgnoreCase)
        || (shape.ValueType is null && shape.Items is null && Suggestion.Closest(key.Key, shape.PublicNames) is not null);

    private static HostStartException Unknown(IConfiguration configuration, IConfigurationSection key, IConfigurationSection parent, SettingsShape shape)
    {
        var where = Origin(configuration, key);
        if (shape.ValueType is not null)
            return new HostStartException($"{key.Path}{where} is not a setting: {parent.Path} takes a value, not settings below it.");
        if (shape.Items is not null)
            return new HostStartException($"{key.Path}{where} is not a setting: {parent.Path} is a list, whose items are numbered 0, 1, 2...");
        var names = shape.PublicNames.Order(StringComparer.Ordinal).ToList();
        var valid = names.Count == 0 ? "has no settings" : "takes " + string.Join(", ", names);
        if (SettingsLayer.Of(configuration, key) is { IsChecked: false })
        {
            // Named as it was written: a variable.
            var variable = Suggestion.Closest(key.Key, names) is { } setting ? $" Did you mean {Variable($"{parent.Path}:{setting}")}?" : "";
            return new HostStartException($"{Variable(key.Path)}{where} is not a setting HostKit or this application reads.{variable} {parent.Path} {valid}.");
        }
        var guess = Suggestion.Closest(key.Key, names) is { } name ? $" Did you mean {parent.Path}:{name}?" : "";
        return new HostStartException($"{key.Path}{where} is not a setting HostKit or this application reads.{guess} {parent.Path} {valid}.");
    }

    private static void CheckValue(IConfiguration configuration, IConfigurationSection key, Type type)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        // An empty value leaves a nullable setting unset (the binder's reading); for any other type it is a mistake.
        if (target == typeof(string) || (key.Value!.Length == 0 && target != type))
            return;
        try
        {
            _ = TypeDescriptor.GetConverter(target).ConvertFromInvariantString(key.Value!);
            if (target.IsEnum && !Enum.IsDefined(target, Enum.Parse(target, key.Value!, ignoreCase: true)))
                throw new FormatException();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            throw new HostStartException($"{key.Path} = '{key.Value}'{Origin(configuration, key)} is not valid: write {Expected(target)}.", ex);
        }
    }

    /// <summary>The environment variable that sets <paramref name="path"/>: <c>HostKit:Limits:MaxRequestBodyBytes</c> is <c>HOSTKIT_LIMITS__MAXREQUESTBODYBYTES</c>.</summary>
    private static string Variable(string path) =>
        "HOSTKIT_" + path[(Root.Length + 1)..].Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();

    private static string Origin(IConfiguration configuration, IConfigurationSection key) =>
        SettingsLayer.Of(configuration, key) is { } layer ? " " + layer.Origin : "";

    /// <summary>What a value of <paramref name="type"/> looks like, in words.</summary>
    internal static string Expected(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration such as 00:00:30 (hh:mm:ss)",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort) || type == typeof(byte) => "a whole number, 0 or more",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number such as 1.5",
        _ => "a " + type.Name,
    };
}
