using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace HostKit.Engines.KestrelH2c;

/// <summary>
/// A socket connection as the HTTP/2 endpoint sees it: the same transport, with a feature layer of its own (Kestrel sets
/// its per-connection features on it, over the ones the socket endpoint set), and a dispose that only reports that the
/// HTTP/2 endpoint is done: the socket endpoint, which accepted the connection, closes it.
/// </summary>
internal sealed class HandedOffConnection(ConnectionContext socket) : ConnectionContext
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when Kestrel's HTTP/2 endpoint has disposed the connection.</summary>
    public Task Finished => _finished.Task;

    public override string ConnectionId
    {
        get => socket.ConnectionId;
        set => socket.ConnectionId = value;
    }

    public override IFeatureCollection Features { get; } = new FeatureCollection(socket.Features);

    public override IDictionary<object, object?> Items
    {
        get => socket.Items;
        set => socket.Items = value;
    }

    public override IDuplexPipe Transport
    {
        get => socket.Transport;
        set => socket.Transport = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => socket.ConnectionClosed;
        set => socket.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => socket.LocalEndPoint;
        set => socket.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => socket.RemoteEndPoint;
        set => socket.RemoteEndPoint = value;
    }

    public override void Abort(ConnectionAbortedException abortReason) => socket.Abort(abortReason);

    public override ValueTask DisposeAsync()
    {
        _finished.TrySetResult();
        return ValueTask.CompletedTask;
    }
}
