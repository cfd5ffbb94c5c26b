using System.Net.WebSockets;
using HostKit.Chat.Backplane;
using Microsoft.Extensions.Logging;

namespace HostKit.Chat;

/// <summary>
/// A room as seen from this process: the members connected here and one backplane subscription that feeds them.
/// Every event, the sender's own message included, reaches members through the subscription, so the room behaves
/// the same whether the backplane is in this process or shared by many.
/// </summary>
internal sealed class ChatRoom
{
    private readonly IChatBackplane _backplane;
    private readonly ILogger _logger;
    private readonly Lazy<Task> _started;
    private readonly Lock _gate = new();
    // Copied on change, so the fan-out walks an array without a lock or an allocation.
    private volatile ChatMember[] _members = [];
    private IChatSubscription? _subscription;
    private volatile bool _failed;

    public ChatRoom(string name, IChatBackplane backplane, ILogger logger)
    {
        Name = name;
        _backplane = backplane;
        _logger = logger;
        _started = new Lazy<Task>(StartCoreAsync);
    }

    public string Name { get; }

    /// <summary>Connections in this process using the room; guarded by <see cref="ChatRooms"/>.</summary>
    public int Users { get; set; }

    /// <summary>True once the subscription failed: the room is replaced for the next member.</summary>
    public bool HasFailed => _failed;

    /// <summary>Subscribes (once, whoever asks first) and starts the fan-out.</summary>
    public Task StartAsync() => _started.Value;

    public void Add(ChatMember member)
    {
        lock (_gate)
            _members = [.. _members, member];
        if (_failed)
            member.Close(WebSocketCloseStatus.InternalServerError, "chat backplane failed; reconnect with after");
    }

    public void Remove(ChatMember member)
    {
        lock (_gate)
            _members = [.. _members.Where(m => m != member)];
    }

    /// <summary>Ends the subscription, once the room has no member left here.</summary>
    public async Task StopAsync()
    {
        try
        {
            await _started.Value;
        }
        catch (Exception)
        {
            return; // never subscribed; the member that tried was told
        }
        try
        {
            await _subscription!.DisposeAsync();
        }
        catch (Exception ex)
        {
            ChatLog.EventNotStored(_logger, Name, "unsubscribing failed: " + ex.Message);
        }
    }

    private async Task StartCoreAsync()
    {
        _subscription = await _backplane.SubscribeAsync(Name);
        _ = FanOutAsync(_subscription.Events);
    }

    private async Task FanOutAsync(System.Threading.Channels.ChannelReader<ChatEvent> events)
    {
        try
        {
            while (await events.WaitToReadAsync())
            {
                while (events.TryRead(out var chatEvent))
                {
                    // Serialised once here; every member gets the same bytes (but for a join, whose member gets these bytes with "you":true spliced in, ChatMember.Deliver).
                    var json = ChatWire.Encode(chatEvent);
                    foreach (var member in _members)
                        member.Deliver(chatEvent, json);
                }
            }
        }
        catch (Exception ex)
        {
            _failed = true;
            ChatLog.BackplaneFailed(_logger, ex, Name);
            foreach (var member in _members)
                member.Close(WebSocketCloseStatus.InternalServerError, "chat backplane failed; reconnect with after");
        }
    }
}
