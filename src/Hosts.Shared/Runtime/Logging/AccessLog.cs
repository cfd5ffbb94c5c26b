using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using HostKit.Hosts.Protocol;
using Microsoft.Extensions.Logging;

namespace HostKit.Hosts.Runtime;

/// <summary>
/// One line per request and one per websocket session, the same on every host, written at <see cref="LogLevel.Information"/>
/// to the logger category <see cref="Category"/>, so any logging provider takes it and its filters turn it off.
/// Nothing is formatted unless that category is enabled.
/// </summary>
public sealed partial class AccessLog
{
    /// <summary>The logger category the lines go to.</summary>
    public const string Category = "HostKit.AccessLog";

    private readonly ILogger _logger;

    /// <summary>An access log writing <paramref name="format"/> lines to <paramref name="loggerFactory"/>'s <see cref="Category"/>.</summary>
    public AccessLog(ILoggerFactory loggerFactory, AccessLogFormat format)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger(Category);
        Format = format;
    }

    /// <summary>The line format.</summary>
    public AccessLogFormat Format { get; }

    /// <summary>True when a line would be written: the category is enabled at <see cref="LogLevel.Information"/>.</summary>
    public bool IsEnabled => _logger.IsEnabled(LogLevel.Information);

    /// <summary>Logs a request answered with <paramref name="status"/> (a websocket: 101) that took from <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) until now.</summary>
    /// <param name="environ">The request as the application saw it (proxy headers applied).</param>
    /// <param name="status">The status sent; 0 when none was (the connection was aborted).</param>
    /// <param name="bodyBytes">The response body's length, or -1 when it was not known before sending (a streamed body, a refusal).</param>
    /// <param name="startTimestamp">When the request started.</param>
    public void Write(Environ environ, int status, long bodyBytes, long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(environ);
        if (IsEnabled)
            Write(AccessLogRequest.From(environ), status, bodyBytes, startTimestamp);
    }

    /// <summary>Logs a request read earlier (<see cref="AccessLogRequest.From"/>): a websocket's, whose engine may let go of the request before the session ends.</summary>
    internal void Write(AccessLogRequest request, int status, long bodyBytes, long startTimestamp)
    {
        if (!IsEnabled)
            return;
        var duration = Stopwatch.GetElapsedTime(startTimestamp);
        var line = Format == AccessLogFormat.Json
            ? JsonLine(request, status, bodyBytes, duration, DateTimeOffset.UtcNow - duration)
            : CombinedLine(request, status, bodyBytes, duration, DateTimeOffset.UtcNow - duration);
        Written(_logger, line);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{AccessLogLine}")]
    private static partial void Written(ILogger logger, string accessLogLine);

    /// <summary>The Combined Log Format line, then the duration in seconds; quoted fields escape <c>"</c>, <c>\</c> and every byte outside printable ASCII as <c>\xHH</c>, as nginx does.</summary>
    internal static string CombinedLine(AccessLogRequest environ, int status, long bodyBytes, TimeSpan duration, DateTimeOffset started)
    {
        var line = new StringBuilder(160);
        line.Append(Unquoted(environ.RemoteAddress)).Append(" - - [")
            .Append(started.UtcDateTime.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)).Append(" +0000] \"");
        AppendEscaped(line, environ.RequestMethod).Append(' ');
        AppendEscaped(line, environ.Target).Append(' ');
        AppendEscaped(line, environ.ServerProtocol).Append("\" ")
            .Append(status.ToString(CultureInfo.InvariantCulture)).Append(' ')
            .Append(bodyBytes > 0 ? bodyBytes.ToString(CultureInfo.InvariantCulture) : "-").Append(" \"");
        AppendEscaped(line, environ.Referer ?? "-").Append("\" \"");
        AppendEscaped(line, environ.UserAgent ?? "-").Append("\" ")
            .Append(duration.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture));
        return line.ToString();
    }

    /// <summary>One JSON object: <c>time</c>, <c>remote_addr</c>, <c>method</c>, <c>target</c>, <c>protocol</c>, <c>status</c>, <c>bytes</c> (null when unknown), <c>referer</c>, <c>user_agent</c>, <c>duration_s</c>, <c>websocket</c>.</summary>
    internal static string JsonLine(AccessLogRequest environ, int status, long bodyBytes, TimeSpan duration, DateTimeOffset started)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", started.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
            json.WriteString("remote_addr", environ.RemoteAddress);
            json.WriteString("method", environ.RequestMethod);
            json.WriteString("target", environ.Target);
            json.WriteString("protocol", environ.ServerProtocol);
            json.WriteNumber("status", status);
            if (bodyBytes >= 0)
                json.WriteNumber("bytes", bodyBytes);
            else
                json.WriteNull("bytes");
            json.WriteString("referer", environ.Referer);
            json.WriteString("user_agent", environ.UserAgent);
            json.WriteNumber("duration_s", Math.Round(duration.TotalSeconds, 6));
            json.WriteBoolean("websocket", status == 101);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // REMOTE_ADDR is an address or an RFC 7239 identifier already; a space would shift every field after it.
    private static string Unquoted(string value) => value.Length == 0 ? "-" : value.Replace(' ', '_');

    private static StringBuilder AppendEscaped(StringBuilder line, string value)
    {
        foreach (var c in value)
        {
            if (c is '"' or '\\' || c < 0x20 || c > 0x7E)
            {
                if (c > 0xFF)
                    line.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                else
                    line.Append("\\x").Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                line.Append(c);
            }
        }
        return line;
    }
}
