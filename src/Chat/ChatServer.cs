using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HostKit.Chat;

/// <summary>
/// The chat: <c>WS /ws/chat?room=R&amp;name=N[&amp;after=ID][&amp;token=T]</c> on the plain HostKit contract, so the same
/// code runs on every host. Map it with <see cref="ChatRoutes.MapChat"/>. The protocol is in docs/chat.md.
/// </summary>
/// <example>
/// <code>
/// var chat = new ChatServer(ChatOptions.FromConfiguration(configuration), loggerFactory: loggerFactory);
/// var app = new WebSocketRoutes().MapChat(chat).Wrap(next);
/// </code>
/// </example>
public sealed class ChatServer : IAsyncDisposable
{
    /// <summary>Where <see cref="ChatRoutes.MapChat"/> maps the chat unless told otherwise.</summary>
    public const string DefaultPath = "/ws/chat";

    private readonly OriginPolicy _origins;
    private readonly TokenPolicy _tokens;
    private readonly bool _ownsBackplane;

    /// <summary>Creates the chat.</summary>
    /// <param name="options">Auth, origins, history and limits; <see cref="ChatOptions.Default"/> when null.</param>
    /// <param name="backplane">Where rooms live; a new <see cref="InMemoryChatBackplane"/> (owned and disposed by this chat) when null.</param>
    /// <param name="loggerFactory">Where slow members, rate-limited members and backplane failures are logged.</param>
    /// <param name="timeProvider">The clock for rate limits and event times; the system clock when null.</param>
    /// <exception cref="InvalidOperationException">An option is out of range.</exception>
    public ChatServer(ChatOptions? options = null, IChatBackplane? backplane = null, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? ChatOptions.Default;
        Options.Validate();
        Time = timeProvider ?? TimeProvider.System;
        _ownsBackplane = backplane is null;
        Backplane = backplane ?? new InMemoryChatBackplane(Options.HistoryLimit, Time);
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("HostKit.Chat");
        _origins = new OriginPolicy(Options.AllowedOrigins);
        _tokens = new TokenPolicy(Options.AcceptedTokens);
        Rooms = new ChatRooms(Backplane, Logger);
    }

    /// <summary>The options in force.</summary>
    public ChatOptions Options { get; }

    /// <summary>Where the rooms' logs live.</summary>
    public IChatBackplane Backplane { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal ChatRooms Rooms { get; }

    /// <summary>
    /// Decides before the handshake, in this order: a foreign <c>Origin</c> gets 403, a missing or wrong token 401,
    /// a malformed room, name or <c>after</c> 400, an unreachable backplane 503. Null accepts.
    /// </summary>
    internal ValueTask<WebSocketRefusal?> AuthorizeAsync(Environ environ)
    {
        if (!_origins.Allows(environ))
            return Refuse(403, $"403 Forbidden: pages from {environ.GetHeader("Origin")} may not open this chat (allowed: this server's own address{(Options.AllowedOrigins.Count > 0 ? " and HostKit:Chat:AllowedOrigins" : string.Empty)}).");
        var query = ChatQuery.Parse(environ.QueryString);
        if (!_tokens.Accepts(query["token"]))
            return Refuse(401, "401 Unauthorized: this chat needs a valid token=... in the query.");
        if (!ChatRequest.TryCreate(query, out _, out var reason))
            return Refuse(400, $"400 Bad Request: {reason}.");
        if (!Backplane.IsAvailable)
            return Refuse(503, "503 Service Unavailable: the chat backplane cannot be reached; try again later.");
        return ValueTask.FromResult<WebSocketRefusal?>(null);

        static ValueTask<WebSocketRefusal?> Refuse(int status, string message) => ValueTask.FromResult<WebSocketRefusal?>(new WebSocketRefusal(status, message + "\n"));
    }

    /// <summary>Serves one accepted chat websocket until it closes.</summary>
    internal ValueTask HandleAsync(IWebSocket socket, Environ environ)
    {
        // Validated in AuthorizeAsync; parsing again is cheaper than carrying it in Environ.Items.
        if (!ChatRequest.TryCreate(ChatQuery.Parse(environ.QueryString), out var request, out var reason))
            throw new InvalidOperationException($"The chat was reached without its checks: {reason}");
        return new ChatConnection(socket, request, this).RunAsync();
    }

    /// <summary>Disposes the backplane when this chat created it.</summary>
    public ValueTask DisposeAsync() => _ownsBackplane ? Backplane.DisposeAsync() : ValueTask.CompletedTask;
}
