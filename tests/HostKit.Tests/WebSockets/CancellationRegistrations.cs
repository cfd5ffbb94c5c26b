using System.Reflection;

namespace HostKit.Tests.WebSockets;

/// <summary>
/// Counts the callbacks still registered on a <see cref="CancellationTokenSource"/>: the one way to see
/// that code which registered on a caller's long-lived token also let go of it. The BCL exposes no such
/// count, so this reads its private fields; if they are renamed, the test fails here, not silently.
/// </summary>
public static class CancellationRegistrations
{
    private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Instance;

    public static int Count(CancellationTokenSource source)
    {
        var registrationsField = typeof(CancellationTokenSource).GetField("_registrations", Private)
            ?? throw new InvalidOperationException("CancellationTokenSource._registrations is gone: update this helper for the new BCL.");
        var registrations = registrationsField.GetValue(source);
        if (registrations is null)
            return 0;
        var callbacksField = registrations.GetType().GetField("Callbacks", Private)
            ?? throw new InvalidOperationException("CancellationTokenSource.Registrations.Callbacks is gone: update this helper for the new BCL.");
        var count = 0;
        for (var node = callbacksField.GetValue(registrations); node is not null; node = node.GetType().GetField("Next", Private)!.GetValue(node))
            count++;
        return count;
    }
}
