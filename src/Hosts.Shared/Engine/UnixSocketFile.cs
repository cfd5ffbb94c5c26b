using System.Net.Sockets;
using System.Text;
using HostKit.Hosts.Runtime;

namespace HostKit.Hosts;

/// <summary>
/// The file of a unix domain socket a host listens on (<c>unix:PATH</c> in <see cref="ServerOptions.Urls"/>, the runner's
/// <c>--uds</c>), with the same rules and messages on every host. As gunicorn and uvicorn do, a socket file left behind by a
/// process that was killed is replaced, and the file is made readable and writable by everyone (<see cref="Mode"/>: who may
/// connect is decided by the directory it is in). Unlike them, a file where a server still listens is never taken over:
/// the start fails and says so. The file is removed when the listener closes (a graceful stop), if it is still the one
/// bound here.
/// </summary>
public static class UnixSocketFile
{
    /// <summary>The longest path a unix socket can have, in bytes of UTF-8: <c>sun_path</c> holds 108 with its terminating zero.</summary>
    public const int MaxPathBytes = 107;

    /// <summary>
    /// The mode a socket file gets once bound: 0666, read and write for everyone, as uvicorn sets it (gunicorn's default umask
    /// gives 0777). Connecting needs write permission on the file, and a proxy's workers seldom run as the server's user;
    /// restrict access with the directory's mode or group instead.
    /// </summary>
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>A socket listening on <paramref name="url"/>'s path (<see cref="Prepare"/>, then <see cref="Bind"/>); disposing it removes the file.</summary>
    /// <param name="url">A <c>unix:</c> address (<see cref="ListenAddress.UnixSocket"/>).</param>
    /// <param name="hostName">The host asking, for the messages.</param>
    /// <param name="backlog">The listen backlog.</param>
    /// <exception cref="HostStartException">The path is unusable, taken by a live server, or cannot be bound.</exception>
    public static Socket Listen(Uri url, string hostName, int backlog = 1024)
    {
        Prepare(url, hostName);
        var socket = Bind(ListenAddress.UnixSocketPath(url), hostName);
        try
        {
            socket.Listen(backlog);
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw Failed(hostName, ListenAddress.UnixSocketPath(url), ex);
        }
    }

    /// <summary>
    /// Makes <paramref name="url"/>'s path ready to bind: refuses a path too long for <c>sun_path</c>, a directory that does not
    /// exist, a file that is not a socket, and a socket where a server answers; removes a socket nobody listens on (stale).
    /// </summary>
    /// <exception cref="HostStartException">The path cannot be used; the message says why and what to do.</exception>
    public static void Prepare(Uri url, string hostName)
    {
        var path = ListenAddress.UnixSocketPath(url);
        var bytes = Encoding.UTF8.GetByteCount(path);
        if (bytes > MaxPathBytes)
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: the path is {bytes} bytes, and a unix socket's may be {MaxPathBytes} at most (sun_path). Choose a shorter one, such as /run/APP/app.sock.");
        var directory = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(directory))
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: the directory {directory} does not exist. Create it (writable by this user), or choose another path.");
        var status = StatusOf(path, hostName);
        if (!status.Exists)
            return;
        if (!status.IsSocket)
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: a file that is not a socket is there. Remove it, or choose another path.");
        if (Probe(path, hostName))
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: another server is listening there. Stop it first, or choose another path.");
        RemoveStale(path, hostName);
    }

    /// <summary>
    /// A unix socket bound to <paramref name="path"/> (after <see cref="Prepare"/>), not yet listening, with <see cref="Mode"/>:
    /// for <see cref="Listen"/>, and for an engine that listens on a socket it is given (Kestrel's <c>CreateBoundListenSocket</c>).
    /// Disposing it removes the file, if it is still the one bound here.
    /// </summary>
    /// <exception cref="HostStartException">The path cannot be bound (the directory is not writable by this user, or someone took the path meanwhile).</exception>
    public static Socket Bind(string path, string hostName)
    {
        var socket = new UnixListenSocket(path);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Bound(StatusOf(path, hostName).Inode); // from here on, disposing the socket removes its file
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, Mode); // Windows' unix sockets have no such mode
            return socket;
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw Failed(hostName, path, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            socket.Dispose();
            throw new HostStartException($"The {hostName} host could not set the mode of unix:{path}: {ex.Message}", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Removes the file at <paramref name="path"/> if it is the socket with <paramref name="inode"/>: never a file another process bound there since.</summary>
    internal static void Remove(string path, ulong inode)
    {
        try
        {
            if (UnixFileStatus.Of(path) is { Exists: true, IsSocket: true } status && status.Inode == inode)
                File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Gone already, or no longer ours to remove: a stale file is replaced at the next start anyway.
        }
    }

    /// <summary>True when a server accepts connections at <paramref name="path"/>; false when the socket is stale (refused).</summary>
    private static bool Probe(string path, string hostName)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.TryAgain)
        {
            return true; // a listener whose backlog is full: alive, only busy
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return false; // a socket file without a listener: what a killed process leaves
        }
        catch (SocketException ex)
        {
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: a socket file is there, and connecting to it to see whether a server listens failed ({ex.Message}). Remove it if no server uses it, or choose another path.", ex);
        }
    }

    private static void RemoveStale(string path, string hostName)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: a stale socket file is there (nobody listens on it), and this user cannot remove it ({ex.Message}).", ex);
        }
    }

    private static UnixFileStatus StatusOf(string path, string hostName)
    {
        try
        {
            return UnixFileStatus.Of(path);
        }
        catch (IOException ex)
        {
            throw new HostStartException($"The {hostName} host cannot listen on unix:{path}: {ex.Message}", ex);
        }
    }

    private static HostStartException Failed(string hostName, string path, SocketException ex) => ex.SocketErrorCode switch
    {
        SocketError.AccessDenied => new HostStartException($"The {hostName} host could not listen on unix:{path}: permission denied: this user cannot create files in {Path.GetDirectoryName(path)}. Make it writable, or choose another path.", ex),
        SocketError.AddressAlreadyInUse => new HostStartException($"The {hostName} host could not listen on unix:{path}: another process created that file meanwhile.", ex),
        _ => new HostStartException($"The {hostName} host could not listen on unix:{path}: {ex.Message}", ex),
    };
}
