using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using HostKit.Hosts;
using HostKit.Tests.Support;

namespace HostKit.Tests.Uring;

/// <summary>
/// The fuzzer's connection transcripts (fuzz/corpus/head: one client's bytes each, heads, pipelined requests,
/// bodies and garbage) replayed over real sockets through the uring host and the raw host: the uring host answers
/// each byte for byte as raw does (the Date header aside). Both run the host kit's Http1Protocol; this shows the
/// ring's byte moving changes nothing a client can see.
/// </summary>
public sealed partial class UringFuzzReplayTests(UringFuzzReplayTests.Servers servers) : IClassFixture<UringFuzzReplayTests.Servers>
{
    public static TheoryData<string> Seeds() =>
        [.. Directory.EnumerateFiles(Path.Combine(Repository.Root, "fuzz", "corpus", "head")).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory, MemberData(nameof(Seeds))]
    public async Task A_fuzz_seed_gets_the_same_answer_from_uring_as_from_raw(string seed)
    {
        var input = await File.ReadAllBytesAsync(Path.Combine(Repository.Root, "fuzz", "corpus", "head", seed));
        var raw = await ReplayAsync(servers.Raw, input);
        var uring = await ReplayAsync(servers.Uring, input);
        Assert.StartsWith("HTTP/1.1 ", raw, StringComparison.Ordinal); // every seed is answered: the comparison is never of two silences
        Assert.Equal(raw, uring);
    }

    // Sends the whole transcript, ends the sending side (as the fuzzer's simulated client does), reads to the end.
    private static async Task<string> ReplayAsync(IRunningServer server, byte[] input)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Addresses[0].Host, server.Addresses[0].Port, timeout.Token);
        await socket.SendAsync(input, SocketFlags.None, timeout.Token);
        socket.Shutdown(SocketShutdown.Send);
        var answer = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
                answer.Write(buffer, 0, read);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            answer.Write("<reset>"u8);
        }
        return DateHeader().Replace(Encoding.Latin1.GetString(answer.ToArray()), "Date: (now)\r\n");
    }

    [GeneratedRegex("Date: [^\r]*\r\n")]
    private static partial Regex DateHeader();

    /// <summary>The raw host and the uring host, each serving an application that reads the whole body and describes the request.</summary>
    public sealed class Servers : IAsyncLifetime
    {
        public IRunningServer Raw { get; private set; } = null!;

        public IRunningServer Uring { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Raw = await StartAsync("raw");
            Uring = await StartAsync("uring");
        }

        public async ValueTask DisposeAsync()
        {
            await Raw.DisposeAsync();
            await Uring.DisposeAsync();
        }

        private static Task<IRunningServer> StartAsync(string host) =>
            HostKit.Hosting.HostDiscovery.Discover().Get(host).StartAsync(DescribeAsync, new ServerOptions { Urls = [new Uri("http://127.0.0.1:0")] });

        private static async ValueTask<Body> DescribeAsync(Environ environ, StartResponse start)
        {
            var body = new MemoryStream();
            await environ.Body.CopyToAsync(body, environ.RequestAborted);
            start(200, [("Content-Type", "text/plain")]);
            return Body.Of(Encoding.UTF8.GetBytes(
                $"{environ.RequestMethod} {environ.PathInfo}?{environ.QueryString} {environ.ServerProtocol} {environ.ContentLength} {body.Length} {Convert.ToHexString(body.ToArray())}"));
        }
    }
}
