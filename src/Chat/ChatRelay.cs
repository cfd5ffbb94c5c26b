using System.Net.WebSockets;
using System.Threading.Channels;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;

namespace HostKit.Chat;

/// <summary>
/// Relays what one member says to the backplane, and tells the member what became of each message: an <c>ack</c> with
/// the stored id (for a message with a cid), or an <c>error</c> saying it was not stored, or that nobody can tell yet.
/// </summary>
/// <remarks>
/// Two loops, so that a slow backplane never stops the reading: the receive loop stamps each message with its arrival
/// time, judges the rate on it and queues the message; the store loop appends the queue in order. While Redis is paused,
/// messages keep their arrival times, and the backlog is not mistaken for a burst when it resumes.
/// </remarks>
internal sealed class ChatRelay(IWebSocket socket, ChatRequest request, string member, ChatServer chat)
{
    /// <summary>Messages of one member waiting for the backplane; more are refused (not stored), never dropped silently.</summary>
    public const int MaxWaiting = 256;

    private const string NotStoredReason = "the message was not stored";

    private readonly ChatOptions _options = chat.Options;
    private readonly ILogger _logger = chat.Logger;
    private readonly Channel<ClientMessage> _waiting = Channel.CreateBounded<ClientMessage>(new BoundedChannelOptions(MaxWaiting) { SingleReader = true, SingleWriter = true });
    // Cids whose last append ended with no answer: until one is acknowledged, a refusal of its resend is no proof it was not stored.
    private readonly HashSet<string> _uncertain = new(StringComparer.Ordinal);
    // Cids queued or being appended, with how many copies: a refusal of another copy meanwhile is no proof it was not stored.
    private readonly Dictionary<string, int> _pending = new(StringComparer.Ordinal);
    private int _notStored;

    /// <summary>Relays until the member closes, is closed, or breaks a rule; then stores what is still waiting.</summary>
    public async ValueTask RunAsync()
    {
        var storing = Task.Run(StoreWaitingAsync);
        try
        {
            await ReceiveAsync(storing);
        }
        finally
        {
            _waiting.Writer.TryComplete();
            await storing;
        }
    }

    private async Task ReceiveAsync(Task storing)
    {
        var rate = new MessageRateLimiter(_options.MaxMessagesPerSecond, chat.Time);
        while (await socket.ReceiveAsync() is { } frame)
        {
            var arrivedAt = chat.Time.GetTimestamp();
            if (!frame.IsText)
            {
                await socket.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "binary messages are not accepted; send text");
                return;
            }
            if (!ClientMessage.TryRead(frame.Data.Span, _options.MaxMessageBytes, out var message, out var problem))
            {
                if (problem == ClientMessageProblem.TooBig)
                {
                    await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message over {_options.MaxMessageBytes} bytes");
                    return;
                }
                await RefuseAsync(null, $"{NotStoredReason}: a cid is 1 to {ClientMessage.MaxCidLength} characters from A-Z, a-z, 0-9, '_', '-', '.' and ':'");
                continue;
            }
            var verdict = rate.Judge(arrivedAt);
            if (verdict == RateVerdict.Close)
            {
                await CloseForAbuseAsync(storing);
                return;
            }
            if (verdict == RateVerdict.Refuse)
                await RefuseAsync(message.Cid, $"{NotStoredReason}: over {_options.MaxMessagesPerSecond} messages per second");
            else if (!TryQueue(message))
                await RefuseAsync(message.Cid, $"{NotStoredReason}: {MaxWaiting} of this member's messages are already waiting for the chat backplane");
        }
    }

    /// <summary>
    /// Sustained abuse: the messages accepted before are stored and answered first, so that the close reason's count of
    /// messages not stored is final, and every message without an ack at the close was not stored.
    /// </summary>
    private async Task CloseForAbuseAsync(Task storing)
    {
        Interlocked.Increment(ref _notStored);
        _waiting.Writer.TryComplete();
        await storing;
        ChatLog.MemberOverRate(_logger, request.Room, request.Name, _options.MaxMessagesPerSecond, _notStored);
        await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, $"rate limit: over {_options.MaxMessagesPerSecond} messages per second; {_notStored} messages not stored");
    }

    private bool TryQueue(ClientMessage message)
    {
        if (message.Cid is { } cid)
        {
            lock (_uncertain)
                _pending[cid] = _pending.GetValueOrDefault(cid) + 1;
        }
        if (_waiting.Writer.TryWrite(message))
            return true;
        Settled(message.Cid);
        return false;
    }

    private void Settled(string? cid)
    {
        if (cid is null)
            return;
        lock (_uncertain)
        {
            if (_pending.TryGetValue(cid, out var copies) && copies > 1)
                _pending[cid] = copies - 1;
            else
                _pending.Remove(cid);
        }
    }

    private async Task StoreWaitingAsync()
    {
        await foreach (var message in _waiting.Reader.ReadAllAsync())
            await StoreAsync(message);
    }

    private async Task StoreAsync(ClientMessage message)
    {
        var cid = message.Cid;
        try
        {
            var stored = await chat.Backplane.AppendAsync(new ChatPost(ChatEventType.Message, request.Room, request.Name, message.Text, cid, member));
            if (cid is null)
                return;
            lock (_uncertain)
                _uncertain.Remove(cid);
            await TrySendAsync(ChatWire.Encode(new AckNotice(request.Room, cid, stored.Id, stored.Epoch)));
        }
        catch (ChatBackplaneUnavailableException ex)
        {
            ChatLog.EventNotStored(_logger, request.Room, ex.Message);
            if (ex.OutcomeUnknown && cid is not null)
            {
                lock (_uncertain)
                    _uncertain.Add(cid);
            }
            var reason = ex.OutcomeUnknown
                ? "the chat backplane did not answer in time: the message may or may not be stored; send it again with the same cid to find out"
                : $"{NotStoredReason}: the chat backplane is unavailable";
            await RefuseAsync(cid, reason, ex.OutcomeUnknown, ownCopyPending: true);
        }
        finally
        {
            // Only once answered: a copy refused before this copy's ack is on the wire must not be told "not stored".
            Settled(cid);
        }
    }

    /// <summary>
    /// Tells the sender; the outcome is unknown rather than "not stored" while an earlier try of the same cid is unsettled:
    /// its append ended with no answer, or another copy is still waiting for the backplane or its answer (a resend that
    /// overtook the answer). <paramref name="ownCopyPending"/>: the refused copy is itself counted as pending.
    /// </summary>
    private async Task RefuseAsync(string? cid, string reason, bool outcomeUnknown = false, bool ownCopyPending = false)
    {
        if (cid is not null && !outcomeUnknown)
        {
            lock (_uncertain)
                outcomeUnknown = _uncertain.Contains(cid) || _pending.GetValueOrDefault(cid) > (ownCopyPending ? 1 : 0);
        }
        if (!outcomeUnknown)
            Interlocked.Increment(ref _notStored);
        var outcome = outcomeUnknown ? ErrorNotice.Unknown : ErrorNotice.NotStored;
        if (outcomeUnknown && reason.StartsWith(NotStoredReason, StringComparison.Ordinal))
            reason = $"an earlier try of this cid may be stored; this one was refused ({reason[(NotStoredReason.Length + 2)..]})";
        await TrySendAsync(ChatWire.Encode(new ErrorNotice(request.Room, reason, cid, outcome)));
    }

    private async Task TrySendAsync(WebSocketMessage notice)
    {
        try
        {
            await socket.SendAsync(notice);
        }
        catch (WebSocketClosedException)
        {
            // The member is gone; a resend with the same cid after it reconnects gets the answer again.
        }
    }
}
