using HostKit.Hosting;
using HostKit.Hosts;
using HostKit.Hosts.Uring;
using HostKit.Tests.Support;

namespace HostKit.Tests.Uring;

/// <summary>
/// Where the kernel refuses io_uring (a container's seccomp profile, <c>kernel.io_uring_disabled</c>, a kernel
/// without it), the uring host does not start and says why in one line. The refusal is the kernel's own: a seccomp
/// filter on one thread makes io_uring_setup fail there with the errno each of those situations gives.
/// </summary>
public class UringRefusalTests
{
    [Theory]
    [InlineData(SeccompRefusal.EPERM, "io_uring_setup failed with EPERM")]
    [InlineData(SeccompRefusal.ENOSYS, "io_uring_setup failed with ENOSYS: this kernel has no io_uring")]
    public void The_host_does_not_start_and_names_the_kernels_refusal(int errno, string cause)
    {
        // StartAsync sets up the ring before it returns, so the refusal is thrown on the filtered thread.
        var error = SeccompRefusal.Run(errno, () => Record.Exception(() =>
        {
            new UringHost().StartAsync((_, _) => throw new InvalidOperationException("never run"), new ServerOptions { Urls = [new Uri("http://127.0.0.1:0")] });
        }));
        var refusal = Assert.IsType<HostStartException>(error);
        Assert.StartsWith("The uring host cannot start: " + cause, refusal.Message, StringComparison.Ordinal);
        Assert.EndsWith("Choose another host, such as raw.", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refusal.Message);
    }

    [Fact]
    public async Task The_Demo_refused_io_uring_prints_one_error_line_and_exits()
    {
        // Started from the filtered thread, the Demo's process inherits the filter: its io_uring_setup fails for real.
        var run = SeccompRefusal.Run(SeccompRefusal.EPERM, () => DemoProcess.RunToEndAsync("--host", "uring", "--urls", "http://127.0.0.1:0"));
        var (code, output) = await run;
        // The runner's start failure: one critical log line with the message, and its exit code.
        var error = Assert.Single(output.Split('\n'), l => l.Contains("The uring host cannot start", StringComparison.Ordinal));
        Assert.Contains("crit: HostKit[0] The uring host cannot start: io_uring_setup failed with EPERM: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("serving on", output, StringComparison.Ordinal);
        Assert.Equal(HostRunner.StartFailure, code);
    }
}
