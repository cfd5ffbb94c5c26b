namespace HostKit;

/// <summary>
/// A HostKit application: the whole contract between a framework and a server, after
/// PEP 3333's <c>application(environ, start_response)</c>.
/// </summary>
/// <remarks>
/// The application calls <paramref name="startResponse"/> once with the status and headers,
/// then returns the response <see cref="Body"/>. Nothing reaches the wire before the returned
/// task completes, so an application that throws before then gets a clean 500.
/// A synchronous application may simply <c>return Body.Of(...)</c>: <see cref="Body"/>
/// converts implicitly to <see cref="ValueTask{TResult}"/>.
/// </remarks>
/// <param name="environ">The request: CGI-named properties, headers, body and features.</param>
/// <param name="startResponse">Sets the response status and headers.</param>
/// <returns>The response body. For an accepted websocket, <see cref="Body.Empty"/> once the handler is done.</returns>
public delegate ValueTask<Body> Application(Environ environ, StartResponse startResponse);
