namespace HostKit.Hosting;

/// <summary>
/// A configuration section under <c>HostKit</c> that the application reads itself, and the type it binds the section to:
/// <c>new SettingsSection("HostKit:Chat", typeof(ChatOptions))</c>. The runner refuses a key under <c>HostKit</c> that neither
/// it nor a declared section reads (a typo would otherwise be a silent default), and checks each value converts to its
/// property's type, before anything starts.
/// </summary>
/// <param name="Key">The section's key, <c>HostKit:Chat</c>; a key outside <c>HostKit</c> is the application's alone and not checked.</param>
/// <param name="Type">The options type the section binds to: its public settable properties are the section's settings.</param>
public sealed record SettingsSection(string Key, Type Type);
