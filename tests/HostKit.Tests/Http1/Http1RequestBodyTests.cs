using System.IO.Pipelines;
using HostKit.Hosts;

namespace HostKit.Tests.Http1;

public class Http1RequestBodyTests
{
    [Fact]
    public void Synchronous_reads_are_allowed_unless_inline_socket_io_is_on()
    {
        var pipe = new Pipe();
        var body = new Http1RequestBody(pipe.Reader, pipe.Writer, new Http1Protocol(HttpLimits.Default));
        // This test process never sets the variable, so the default follows it.
        Assert.False(InlineSocketIo.IsEnabled);
        Assert.True(body.AllowSynchronousReads);
        Assert.Equal(0, body.Read(new byte[16], 0, 16)); // no request yet: an empty body
    }

    [Fact]
    public void A_refused_synchronous_read_says_why_and_what_to_use_instead()
    {
        var pipe = new Pipe();
        var body = new Http1RequestBody(pipe.Reader, pipe.Writer, new Http1Protocol(HttpLimits.Default)) { AllowSynchronousReads = false };
        var refused = Assert.Throws<NotSupportedException>(() => body.Read(new byte[16], 0, 16));
        Assert.Contains(InlineSocketIo.EnvironmentVariable, refused.Message);
        Assert.Contains("Use ReadAsync", refused.Message);
    }
}
