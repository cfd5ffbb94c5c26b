using System.Net.Sockets;

namespace HostKit.Hosts;

/// <summary>
/// A unix listening socket that removes its file when it is disposed (<see cref="UnixSocketFile"/>): every host closes its
/// listeners when it stops, so the file goes with a graceful stop on each of them, the engine's own (Kestrel's) included.
/// </summary>
internal sealed class UnixListenSocket(string path) : Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
{
    private ulong? _inode;

    /// <summary>The socket is bound, and its file has <paramref name="inode"/>.</summary>
    public void Bound(ulong inode) => _inode = inode;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && _inode is { } inode)
        {
            _inode = null;
            UnixSocketFile.Remove(path, inode);
        }
    }
}
