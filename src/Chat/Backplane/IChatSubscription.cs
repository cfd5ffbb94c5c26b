using System.Threading.Channels;

namespace HostKit.Chat.Backplane;

/// <summary>One node's live feed of one room (see <see cref="IChatBackplane.SubscribeAsync"/>). Dispose it to stop the feed.</summary>
public interface IChatSubscription : IAsyncDisposable
{
    /// <summary>
    /// The room's events in id order, from the moment the subscription started. Completes when the subscription is
    /// disposed, or with the backplane's exception when it fails; the node then closes the room's members with 1011.
    /// </summary>
    ChannelReader<ChatEvent> Events { get; }
}
