using System.Text;

namespace HostKit.Hosts.Raw.Http;

/// <summary>Status lines (<c>HTTP/1.1 200 OK\r\n</c>), made once per status and kept.</summary>
internal static class StatusLines
{
    private static readonly byte[]?[] Cache = new byte[1000][];

    public static ReadOnlySpan<byte> For(int status) =>
        Cache[status] ??= Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\n");

    public static string Reason(int status) => status switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    };
}
