namespace HostKit.Hosts.Runtime;

/// <summary>How <see cref="AccessLog"/> writes a line.</summary>
public enum AccessLogFormat
{
    /// <summary>
    /// Apache's and nginx's Combined Log Format, then the duration in seconds:
    /// <c>203.0.113.7 - - [07/Dec/2026:00:17:28 +0000] "GET /plaintext HTTP/1.1" 200 13 "-" "curl/8.5.0" 0.000412</c>.
    /// </summary>
    Combined,

    /// <summary>One JSON object per line, for log pipelines (see docs/deployment.md for its fields).</summary>
    Json,
}
