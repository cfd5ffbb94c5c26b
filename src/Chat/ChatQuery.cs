using System.Collections.Specialized;
using System.Net;

namespace HostKit.Chat;

/// <summary>
/// Reads the chat's query string as <c>application/x-www-form-urlencoded</c>: <c>+</c> is a space and <c>%XX</c> a byte,
/// the bytes UTF-8. <see cref="WebUtility.UrlDecode(string)"/> rather than <c>HttpUtility.ParseQueryString</c>, which
/// also decodes <c>%u0041</c> to <c>A</c>: IIS's old extension, not URL encoding, and a second spelling of every
/// name that a filter in front of the server would not recognise. Bytes that are not UTF-8 become U+FFFD, which
/// the name and room rules refuse.
/// </summary>
internal static class ChatQuery
{
    public static NameValueCollection Parse(string query)
    {
        var values = new NameValueCollection(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            values.Add(WebUtility.UrlDecode(key), WebUtility.UrlDecode(value));
        }
        return values;
    }
}
