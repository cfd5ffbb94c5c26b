using System.Buffers;
using System.Globalization;
using System.Text;
using HostKit.Hosts;

namespace HostKit.Fuzz;

/// <summary>
/// What must hold of every head the parser accepts, checked against the header lines themselves rather
/// than the parser's own flags: the framing it chose is the one the headers say (no smuggling), the limits
/// held, the websocket rule agrees with <see cref="WebSocketHandshake.IsRequested"/>, and the target and
/// <c>Host</c> make sense to <see cref="RequestTarget"/>.
/// </summary>
internal static class HeadInvariants
{
    private static readonly SearchValues<byte> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static void Check(RequestHead head, HttpLimits limits)
    {
        var method = Encoding.Latin1.GetBytes(head.Method);
        Fuzz.Check.That(method.Length > 0 && method.AsSpan().IndexOfAnyExcept(TokenChars) < 0, $"the method \"{Printable.Escape(head.Method)}\" is a token");
        Fuzz.Check.That(head.Target.Length > 0 && head.Target.AsSpan().IndexOfAnyExceptInRange('!', '~') < 0, $"the target \"{Printable.Escape(head.Target)}\" is visible ASCII");
        Fuzz.Check.That(head.Target.Length + head.Method.Length + 10 <= limits.MaxRequestLineBytes, "the request line is within its limit");
        Fuzz.Check.That(Enum.IsDefined(head.Version), $"the version {head.Version} is defined");
        Fuzz.Check.That(head.HeaderCount <= limits.MaxRequestHeaderCount, $"{head.HeaderCount} headers are within the limit of {limits.MaxRequestHeaderCount}");

        var hosts = new List<string>();
        var contentLengths = new List<string>();
        var transferEncodings = new List<string>();
        var connection = new List<string>();
        var expectContinue = false;
        for (var i = 0; i < head.HeaderCount; i++)
        {
            var name = head.Name(i);
            var value = head.Value(i);
            Fuzz.Check.That(name.Length > 0 && name.IndexOfAnyExcept(TokenChars) < 0, $"header name \"{Printable.Escape(name)}\" is a token");
            Fuzz.Check.That(!value.ContainsAnyInRange((byte)0, (byte)8) && !value.ContainsAnyInRange((byte)10, (byte)31) && !value.Contains((byte)0x7F), $"header value \"{Printable.Escape(value)}\" has no control characters");
            Fuzz.Check.That(value.IsEmpty || value[0] is not ((byte)' ' or (byte)'\t') && value[^1] is not ((byte)' ' or (byte)'\t'), $"header value \"{Printable.Escape(value)}\" is trimmed");
            var text = Encoding.Latin1.GetString(value);
            if (Ascii.EqualsIgnoreCase(name, "Host"u8))
                hosts.Add(text);
            else if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
                contentLengths.Add(text);
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
                transferEncodings.Add(text);
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
                connection.AddRange(Tokens(text));
            else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
                expectContinue |= text.Equals("100-continue", StringComparison.OrdinalIgnoreCase);
        }

        var http11 = head.Version == HttpVersion.Http11;
        Fuzz.Check.That(http11 ? hosts.Count == 1 : hosts.Count <= 1, $"{hosts.Count} Host headers in an {head.Version} request");

        // Framing: exactly one way to find the body's end, the one the headers state.
        Fuzz.Check.That(contentLengths.Count == 0 || transferEncodings.Count == 0, "Content-Length and Transfer-Encoding together were accepted");
        Fuzz.Check.Equal(transferEncodings.Count == 1 && transferEncodings[0].Equals("chunked", StringComparison.OrdinalIgnoreCase), head.IsChunked, "chunked exactly when the one Transfer-Encoding is chunked");
        Fuzz.Check.That(transferEncodings.Count == 0 || head.IsChunked, "a Transfer-Encoding other than chunked was accepted");
        Fuzz.Check.That(!head.IsChunked || http11, "chunked in an HTTP/1.0 request was accepted");
        if (contentLengths.Count == 0)
        {
            Fuzz.Check.Equal(null, head.ContentLength, "Content-Length without the header");
        }
        else
        {
            foreach (var declared in contentLengths)
            {
                Fuzz.Check.That(long.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var length) && length == head.ContentLength,
                    $"Content-Length \"{Printable.Escape(declared)}\" agrees with the {head.ContentLength} the body is read for");
            }
        }
        Fuzz.Check.That(head.ContentLength is null || head.ContentLength <= (limits.MaxRequestBodyBytes ?? long.MaxValue), "Content-Length within the body limit");

        var close = connection.Contains("close", StringComparer.OrdinalIgnoreCase);
        var keepAlive = connection.Contains("keep-alive", StringComparer.OrdinalIgnoreCase);
        Fuzz.Check.Equal(http11 ? !close : keepAlive && !close, head.KeepAlive, "keep-alive from the version and the Connection tokens");
        Fuzz.Check.Equal(http11 && expectContinue, head.ExpectContinue, "100-continue from the version and Expect");
        Fuzz.Check.Equal(WebSocketHandshake.IsRequested(head.Method, http11, head.GetHeader("Upgrade"), head.GetHeader("Connection")), head.WantsWebSocket,
            "the parser's websocket flag and WebSocketHandshake.IsRequested");

        var names = head.Headers().Select(h => h.Key).ToList();
        Fuzz.Check.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count(), "Headers() names each header once");
        TargetInvariants.Check(head.Target, head.GetHeader("Host"));
    }

    /// <summary>The comma-separated tokens of a list header, as RFC 9110 section 5.6.1 reads them.</summary>
    public static IEnumerable<string> Tokens(string value) =>
        value.Split(',').Select(token => token.Trim(' ', '\t')).Where(token => token.Length > 0);
}
