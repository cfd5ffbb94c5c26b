using HostKit.Engines.Uring.Native;

namespace HostKit.Engines.Uring.Ring;

/// <summary>The kernel refused io_uring; the message names the cause in words the operator can act on.</summary>
internal sealed class UringUnavailableException(string message) : Exception(message)
{
    /// <summary>Where the kernel says whether io_uring is allowed: 0 yes, 1 only for a group, 2 no.</summary>
    public const string DisabledSetting = "/proc/sys/kernel/io_uring_disabled";

    /// <summary>The cause of an io_uring_setup that failed with <paramref name="errno"/>.</summary>
    public static UringUnavailableException FromSetup(int errno) => new(errno switch
    {
        LinuxCalls.ENOSYS => "io_uring_setup failed with ENOSYS: this kernel has no io_uring (Linux 5.1 or later built with CONFIG_IO_URING), or a seccomp filter hides it",
        LinuxCalls.EPERM => $"io_uring_setup failed with EPERM: {PermissionCause()}",
        _ => $"io_uring_setup failed with errno {errno}",
    });

    private static string PermissionCause()
    {
        var disabled = ReadDisabledSetting();
        return disabled switch
        {
            "2" => $"io_uring is disabled on this machine ({DisabledSetting} = 2)",
            "1" => $"io_uring is limited to one group on this machine ({DisabledSetting} = 1, see kernel.io_uring_group)",
            _ => $"a seccomp filter (a container's default profile, say) or a security module forbids it ({DisabledSetting} = {disabled ?? "absent"})",
        };
    }

    private static string? ReadDisabledSetting()
    {
        try
        {
            return File.ReadAllText(DisabledSetting).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
