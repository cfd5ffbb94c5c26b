using System.Buffers;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// <c>target</c>: <see cref="RequestTarget.Split"/>, <see cref="RequestTarget.AuthorityOf"/> and
/// <see cref="RequestTarget.ServerName"/>. The input is a target and, after an LF, a <c>Host</c> value. Any
/// strings (the other engines hand over their own raw targets) must not throw and keep the basic shape; a
/// pair the head parser accepts must give exactly the path, query and server name it denotes
/// (<see cref="TargetInvariants"/>).
/// </summary>
internal sealed class RequestTargetTarget : IFuzzTarget
{
    public string Name => "target";

    public string Description => "PATH_INFO, QUERY_STRING and SERVER_NAME from a target and Host: RequestTarget.Split, AuthorityOf, ServerName";

    public void Run(ReadOnlySpan<byte> input)
    {
        var fields = new Fields(input);
        var target = fields[0]!;
        var host = fields[1];
        AnyStrings(target, host);

        var method = target == "*" ? "OPTIONS" : "GET";
        var request = $"{method} {target} HTTP/1.1\r\nHost: {host ?? ""}\r\n\r\n";
        var protocol = new Http1Protocol(HttpLimits.Default);
        if (protocol.ReadHead(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(request)), out _, out _) != HeadStatus.Complete)
            return;
        Check.Equal(target, protocol.Head.Target, "the target as parsed");
        HeadInvariants.Check(protocol.Head, HttpLimits.Default);
    }

    private static void AnyStrings(string target, string? host)
    {
        var (path, query) = RequestTarget.Split(target);
        var what = $"Split(\"{Printable.Escape(target)}\")";
        Check.That(path.Length > 0 && !path.Contains('?', StringComparison.Ordinal), $"{what}: the path \"{Printable.Escape(path)}\" is not empty and has no '?'");
        Check.That(target.EndsWith(query, StringComparison.Ordinal) && (query.Length == 0 || target.Contains("?" + query, StringComparison.Ordinal)), $"{what}: the query \"{Printable.Escape(query)}\" is the target's end, after a '?'");
        Check.That(path == "/" || target.Contains(path, StringComparison.Ordinal), $"{what}: the path \"{Printable.Escape(path)}\" is in the target");

        var authority = RequestTarget.AuthorityOf(target);
        if (authority is not null)
            Check.That(target.Contains("://" + authority, StringComparison.Ordinal) && authority.IndexOfAny(['/', '?']) < 0, $"AuthorityOf(\"{Printable.Escape(target)}\") is \"{Printable.Escape(authority)}\"");

        var serverName = RequestTarget.ServerName(target, host, TargetInvariants.LocalAddress);
        var addressed = authority ?? host;
        Check.That(string.IsNullOrEmpty(addressed) ? serverName == TargetInvariants.LocalAddress : addressed.StartsWith(serverName, StringComparison.Ordinal),
            $"ServerName(\"{Printable.Escape(target)}\", \"{Printable.Escape(host ?? "(none)")}\") is \"{Printable.Escape(serverName)}\"");
    }
}
