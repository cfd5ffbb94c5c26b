using HostKit.Hosts.Protocol;

namespace HostKit.Hosts.Runtime;

/// <summary>What an access log line says about the request, read from its environ.</summary>
internal sealed record AccessLogRequest(string RemoteAddress, string RequestMethod, string Target, string ServerProtocol, string? Referer, string? UserAgent)
{
    /// <summary>Reads the fields from <paramref name="environ"/> (the target is <c>SCRIPT_NAME</c>, <c>PATH_INFO</c> and <c>?QUERY_STRING</c>).</summary>
    public static AccessLogRequest From(Environ environ)
    {
        var path = environ.ScriptName + environ.PathInfo;
        var target = environ.QueryString.Length == 0 ? path : path + "?" + environ.QueryString;
        return new(environ.RemoteAddress, environ.RequestMethod, target, environ.ServerProtocol, environ.GetHeader("Referer"), environ.GetHeader("User-Agent"));
    }
}
