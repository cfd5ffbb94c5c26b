using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HostKit.Tests.Chat;

namespace HostKit.Tests.ScaleOut.Faults;

/// <summary>
/// One chat client under load, written as docs/chat.md tells a client to be: every message with a cid, kept until it is
/// acknowledged or refused; sent again with the same cid after an <c>unknown</c> answer and after every reconnect;
/// reconnecting (to the next node when one is gone) with <c>after</c> and <c>epoch</c>. It records everything it sent,
/// every answer and every event it received, for <see cref="FaultLedger"/> to check.
/// </summary>
public sealed class LoadMember(string name, string room, IReadOnlyList<Uri> nodes, int firstNode)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sending = new(1);
    private readonly OrderedDictionary<string, string> _unacked = new(StringComparer.Ordinal);
    // Cids sent on the current connection whose answer has not come: never sent again on it meanwhile (docs/chat.md asks
    // for a resend after `unknown` and after a reconnect only; a copy refused for the rate while the first is still being
    // stored would flood the limit).
    private readonly HashSet<string> _awaiting = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private int _node = firstNode;
    private long? _lastId;
    private string? _epoch;
    private int _sequence;

    public string Name => name;

    /// <summary>cid to text, for every message sent.</summary>
    public Dictionary<string, string> Sent { get; } = new(StringComparer.Ordinal);

    /// <summary>cid to the id it was acknowledged with, and the epoch of the room's log that id belongs to.</summary>
    public Dictionary<string, (long Id, string? Epoch)> Acked { get; } = new(StringComparer.Ordinal);

    /// <summary>cids that got an <c>unknown</c> answer at least once (then sent again with the same cid).</summary>
    public HashSet<string> Unknown { get; } = new(StringComparer.Ordinal);

    /// <summary>cids refused with <c>not-stored</c>.</summary>
    public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

    /// <summary>Room events (message, join, leave) and gaps, in the order received, over every connection.</summary>
    public List<ReceivedEvent> Received { get; } = [];

    public int UnknownAnswers { get; private set; }

    /// <summary>How many of its messages are acknowledged so far (safe to read while it runs).</summary>
    public int AckedCount
    {
        get
        {
            lock (_gate)
                return Acked.Count;
        }
    }

    public int Connections { get; private set; }

    /// <summary>Close codes the server sent this member (1011 after a reset, 1001 at a stop...).</summary>
    public List<int> Closes { get; } = [];

    public Task Joined => _joined.Task;

    public int Unresolved
    {
        get
        {
            lock (_gate)
                return _unacked.Count;
        }
    }

    public List<ReceivedEvent> ReceivedSnapshot()
    {
        lock (_gate)
            return [.. Received];
    }

    /// <summary>Stays connected (reconnecting as a browser page does, faster) until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            try
            {
                await socket.ConnectAsync(Address(), stop).WaitAsync(ConnectTimeout, stop);
            }
            catch (Exception ex) when (ex is WebSocketException or TimeoutException or HttpRequestException)
            {
                _node++;                                                     // gone or refusing (503): try the next node
                await Task.Delay(200, stop).ContinueWith(_ => { }, TaskScheduler.Default);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            string[] resend;
            lock (_gate)
            {
                _socket = socket;
                _awaiting.Clear();                                           // answers on the old connection are gone with it
                Connections++;
                resend = [.. _unacked.Keys];
            }
            foreach (var cid in resend)
                await SendAsync(cid);
            try
            {
                await ReceiveAsync(socket, stop);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // Dropped (a node killed): reconnect.
            }
            lock (_gate)
                _socket = null;
            if (socket.State == WebSocketState.Open && stop.IsCancellationRequested)
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(ConnectTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>Says the next numbered message, with a new cid.</summary>
    public Task SayNextAsync()
    {
        string cid;
        lock (_gate)
        {
            cid = $"{name}-{++_sequence}";
            Sent[cid] = $"{name} #{_sequence.ToString(CultureInfo.InvariantCulture)}";
            _unacked[cid] = Sent[cid];
        }
        return SendAsync(cid);
    }

    /// <summary>Sends again every message still unresolved that is not waiting for an answer on the current connection.</summary>
    public async Task ResendUnresolvedAsync()
    {
        string[] cids;
        lock (_gate)
            cids = [.. _unacked.Keys];
        foreach (var cid in cids)
            await SendAsync(cid);
    }

    private Uri Address()
    {
        var node = nodes[_node % nodes.Count];
        var query = $"/ws/chat?room={room}&name={Uri.EscapeDataString(name)}";
        lock (_gate)
        {
            if (_lastId is { } after)
                query += $"&after={after.ToString(CultureInfo.InvariantCulture)}" + (_epoch is null ? "" : $"&epoch={_epoch}");
        }
        return new Uri(new UriBuilder(node) { Scheme = "ws" }.Uri, query);
    }

    private async Task SendAsync(string cid)
    {
        ClientWebSocket? socket;
        string? text;
        lock (_gate)
        {
            socket = _socket;
            _unacked.TryGetValue(cid, out text);
            if (socket is null || text is null || !_awaiting.Add(cid))
                return;                                                      // sent again after the reconnect, or answered, or its answer is on the way
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(new { type = "message", text, cid });
        await _sending.WaitAsync();
        try
        {
            await socket.SendAsync(json, WebSocketMessageType.Text, true, CancellationToken.None).WaitAsync(ConnectTimeout);
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or TimeoutException or InvalidOperationException)
        {
            // The connection is going; the message is still unacknowledged and goes again after the reconnect.
            lock (_gate)
            {
                if (ReferenceEquals(_socket, socket))
                    _awaiting.Remove(cid);
            }
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync(ClientWebSocket socket, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var data = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, stop);
                data.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                lock (_gate)
                    Closes.Add((int?)socket.CloseStatus ?? 0);
                return;
            }
            Handle(ReceivedEvent.Parse(Encoding.UTF8.GetString(data.GetBuffer(), 0, (int)data.Length)));
        }
    }

    private void Handle(ReceivedEvent e)
    {
        lock (_gate)
        {
            switch (e.Type)
            {
                case "ack":
                    _awaiting.Remove(e.Cid!);
                    Acked[e.Cid!] = (e.Id!.Value, e.Epoch);
                    _unacked.Remove(e.Cid!);
                    return;
                case "error" when e.Outcome == "unknown":
                    _awaiting.Remove(e.Cid!);
                    UnknownAnswers++;
                    Unknown.Add(e.Cid!);
                    // Ask again a little later, with the same cid: stored at most once.
                    _ = Task.Delay(1000).ContinueWith(_ => SendAsync(e.Cid!), TaskScheduler.Default);
                    return;
                case "error":
                    if (e.Cid is not null)
                        _awaiting.Remove(e.Cid);
                    if (e.Cid is not null && _unacked.Remove(e.Cid))
                        Refused.Add(e.Cid);
                    return;
            }
            Received.Add(e);
            if (e.Id is { } id)
                (_lastId, _epoch) = (id, e.Epoch ?? _epoch);
            if (e.Type == "join" && e.Name == name)
                _joined.TrySetResult();
        }
    }
}
