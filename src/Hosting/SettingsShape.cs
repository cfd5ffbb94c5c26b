using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace HostKit.Hosting;

/// <summary>
/// What may be written under a configuration key: a value (a leaf, with the type its text converts to), a list of
/// one shape, or named settings. Built from the runner's own keys and from the option types an application binds
/// (their public settable properties), so that a key nobody reads is an error instead of a silent default.
/// </summary>
internal sealed class SettingsShape
{
    private readonly Dictionary<string, SettingsShape> _settings = new(StringComparer.OrdinalIgnoreCase);

    private SettingsShape(Type? valueType, SettingsShape? items)
    {
        ValueType = valueType;
        Items = items;
    }

    /// <summary>For a value: the type its text must convert to (<see cref="string"/>: any text). Null for a list or a section.</summary>
    public Type? ValueType { get; }

    /// <summary>For a list: the shape of each item (keyed 0, 1, 2...). Null otherwise.</summary>
    public SettingsShape? Items { get; }

    /// <summary>For a section: its settings by name (case-insensitive, as configuration keys are).</summary>
    public IReadOnlyDictionary<string, SettingsShape> Settings => _settings;

    /// <summary>
    /// The settings people may write, for lists of valid keys and "did you mean": <see cref="Settings"/> without the internal
    /// ones (<see cref="AddInternal"/>), which HostKit sets for itself.
    /// </summary>
    public IEnumerable<string> PublicNames => _settings.Where(s => !s.Value.IsInternal).Select(s => s.Key);

    /// <summary>True for a setting HostKit writes for itself (<c>HostKit:Worker</c>, set by the <c>--workers</c> supervisor): read, never listed.</summary>
    public bool IsInternal { get; private set; }

    /// <summary>A section with no settings yet (<see cref="Add"/> fills it).</summary>
    public static SettingsShape Section() => new(null, null);

    /// <summary>A value of <paramref name="type"/>.</summary>
    public static SettingsShape Value(Type type) => new(type, null);

    /// <summary>The shape the configuration binder fills for <paramref name="type"/>: a value if text converts to it, a list for a collection, otherwise its public settable properties.</summary>
    public static SettingsShape Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type == typeof(string) || TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(type) ?? type).CanConvertFrom(typeof(string)))
            return Value(type);
        if (ItemType(type) is { } item)
            return new SettingsShape(null, Of(item));
        var section = Section();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
            section._settings[property.Name] = Of(property.PropertyType);
        return section;
    }

    /// <summary>Adds <paramref name="shape"/> at <paramref name="path"/> (<c>Worker:Id</c>) below this section; a setting already there is kept.</summary>
    public SettingsShape Add(string path, SettingsShape shape)
    {
        var names = path.Split(':');
        var section = this;
        foreach (var name in names[..^1])
        {
            if (!section._settings.TryGetValue(name, out var next))
                section._settings[name] = next = Section();
            section = next;
        }
        section._settings.TryAdd(names[^1], shape);
        return this;
    }

    /// <summary>
    /// Like <see cref="Add"/>, for a setting HostKit sets for itself: accepted where it is written, but never offered to
    /// people. The first name of <paramref name="path"/> is marked internal, so everything below it is.
    /// </summary>
    public SettingsShape AddInternal(string path, SettingsShape shape)
    {
        Add(path, shape);
        _settings[path.Split(':')[0]].IsInternal = true;
        return this;
    }

    /// <summary>The shape of the setting called <paramref name="key"/> here, or null when there is none.</summary>
    public SettingsShape? Find(string key) =>
        Items is not null
            ? int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _) ? Items : null
            : _settings.GetValueOrDefault(key);

    private static Type? ItemType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        if (!typeof(IEnumerable).IsAssignableFrom(type))
            return null;
        return type.IsGenericType && type.GetGenericArguments() is [var item] ? item : null;
    }
}
