namespace HostKit;

/// <summary>The shapes a response <see cref="Body"/> can take.</summary>
public enum BodyKind
{
    /// <summary>No body: <c>Content-Length: 0</c>.</summary>
    Empty,

    /// <summary>One buffer whose length is known up front.</summary>
    Buffer,

    /// <summary>A stream, read to its end; its length is sent when given, otherwise the body is chunked.</summary>
    Stream,

    /// <summary>A sequence of chunks produced as the application goes; sent chunked on HTTP/1.1.</summary>
    Chunks,
}
