using HostKit.Hosts;

namespace HostKit.Tests.Hosting;

/// <summary>The open connections of a host that owns its sockets, and a connection carried on by another object.</summary>
public class ConnectionSetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static ConnectionSet<IHostConnection> NewSet() =>
        new(new HostRuntime("test", (_, start) => ValueTask.FromResult(Body.Empty), new ServerOptions()));

    [Fact]
    public async Task A_connection_is_tracked_until_it_completes()
    {
        var set = NewSet();
        var connection = new FakeConnection();
        set.Add(connection);
        Assert.Equal(1, set.Count);
        connection.Close();
        await set.WhenAllClosedAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public async Task A_successor_takes_the_place_of_the_connection_it_replaces()
    {
        var set = NewSet();
        var first = new FakeConnection();
        var successor = new FakeConnection();
        set.Add(first);
        set.Replace(first, successor);
        Assert.Equal(1, set.Count);

        // The replaced object ends (its HTTP life is over) while the successor carries the connection on.
        first.Close();
        await first.Completion;
        set.RequestStopAll();
        Assert.True(successor.StopRequested);

        successor.Close();
        await set.WhenAllClosedAsync(CancellationToken.None).WaitAsync(Timeout);
        // Closed means forgotten and counted too, not only completed: a stop that returns has nothing left to count.
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void Replacing_a_connection_that_is_not_open_is_refused_and_changes_nothing()
    {
        var set = NewSet();
        var open = new FakeConnection();
        set.Add(open);
        Assert.Throws<InvalidOperationException>(() => set.Replace(new FakeConnection(), new FakeConnection()));
        var seen = new List<IHostConnection>();
        set.ForEach(seen.Add);
        Assert.Equal([open], seen);
    }

    [Fact]
    public async Task Connections_admitted_at_accept_count_against_the_limit_until_they_close()
    {
        var set = new ConnectionSet<IHostConnection>(new HostRuntime("test", (_, start) => ValueTask.FromResult(Body.Empty),
            new ServerOptions { Limits = HttpLimits.Default with { MaxConcurrentConnections = 2 } }));

        // Two accepted on one thread before either is added (served on another): the third is refused all the same.
        Assert.True(set.TryAdmit());
        Assert.True(set.TryAdmit());
        Assert.False(set.TryAdmit());
        Assert.True(set.IsFull);

        var connection = new FakeConnection();
        set.Add(connection);
        set.EndAdmission();
        Assert.False(set.TryAdmit()); // one added, one still admitted
        set.EndAdmission(); // the other never got as far as the set (its handler failed)
        Assert.True(set.TryAdmit());
        set.EndAdmission();

        connection.Close();
        await set.WhenAllClosedAsync(CancellationToken.None).WaitAsync(Timeout);
        Assert.False(set.IsFull);
    }

    private sealed class FakeConnection : IHostConnection
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool StopRequested { get; private set; }

        public Task Completion => _closed.Task;

        public void RequestStop() => StopRequested = true;

        public void Abort() => _closed.TrySetResult();

        public void Close() => _closed.TrySetResult();
    }
}
