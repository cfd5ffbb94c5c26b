using HostKit.Tests.Chat;

namespace HostKit.Tests.ScaleOut.Faults;

/// <summary>
/// Checks what every member sent against the answers it got and what every member received, after a fault
/// (docs/chat.md's promise): every message acknowledged and delivered once to every member, or refused to its sender;
/// every resume complete or announced with a gap; no id given twice without a reset gap saying so. An acknowledged message
/// that a member never got is allowed only when Redis lost it and that member was told: a reset gap ended the log the
/// message was acknowledged in (its epoch) before the message's id. Returns the counts the issue asks to be quoted.
/// </summary>
public static class FaultLedger
{
    public sealed record Counts(int Members, int Sent, int Acked, int Refused, int UnknownAnswers, int Received, int Connections, int ResetGaps, int LostWithRedis)
    {
        public override string ToString() =>
            $"{Members} members: sent {Sent}, acknowledged {Acked}, refused {Refused} (unknown answers resent: {UnknownAnswers}); " +
            $"message events received {Received} over all members; connections {Connections}; reset gaps {ResetGaps}; " +
            $"acknowledged, then lost with Redis's data before some member got them (each announced to it by a reset gap) {LostWithRedis}";
    }

    /// <summary>One acknowledged message: who sent it, its text, and the id and epoch it was acknowledged with.</summary>
    private sealed record AckedMessage(LoadMember Sender, string Cid, string Text, long Id, string? Epoch);

    /// <summary>True once every member has every acknowledged message, or was told by a reset gap that it is gone.</summary>
    public static bool AllDelivered(IReadOnlyList<LoadMember> members)
    {
        var acked = AckedMessages(members);
        return members.All(m => Missing(m.ReceivedSnapshot(), acked).Count == 0);
    }

    /// <param name="members">Every member of the room, each done sending and answered.</param>
    /// <param name="expectReset">True when the fault must start the room's log again (Redis lost its data, or could not vouch for it): every member then gets a reset gap. False: no member gets any gap.</param>
    public static Counts Check(IReadOnlyList<LoadMember> members, bool expectReset)
    {
        var refusedTexts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            Assert.True(member.Unresolved == 0, $"{member.Name} has messages with no answer");
            foreach (var (cid, text) in member.Sent)
            {
                var acked = member.Acked.ContainsKey(cid);
                Assert.True(acked != member.Refused.Contains(cid), $"{cid} must be acknowledged or refused, not both or neither");
                if (!acked)
                    refusedTexts.Add(text);
            }
            Assert.DoesNotContain(member.Closes, code => code == 1008);    // an honest client is never closed for its rate
        }

        var acknowledged = AckedMessages(members);
        var byText = acknowledged.ToDictionary(a => a.Text, StringComparer.Ordinal);
        var received = 0;
        var resetGaps = 0;
        var lost = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var events = member.ReceivedSnapshot();
            AssertContiguousOrAnnounced(member.Name, events);
            resetGaps += events.Count(e => e.Type == "gap" && e.Reset == true);
            foreach (var epoch in events.Where(e => e.Epoch is not null).GroupBy(e => e.Epoch))
            {
                var texts = Messages(epoch).Select(e => e.Text!).ToList();
                Assert.True(texts.Count == texts.Distinct().Count(), $"{member.Name} got a message twice in epoch {epoch.Key}");
            }
            foreach (var message in Messages(events))
            {
                received++;
                Assert.False(refusedTexts.Contains(message.Text!), $"'{message.Text}' was refused to its sender, yet stored and delivered");
                var ack = byText[message.Text!];
                // Delivered with the id and epoch it was acknowledged with; another copy only in another log, of a message whose
                // outcome was unknown when that log ended (its cid is remembered per log, so the resend was stored in the new one).
                Assert.True((message.Id, message.Epoch) == (ack.Id, ack.Epoch) || (ack.Sender.Unknown.Contains(ack.Cid) && message.Epoch != ack.Epoch),
                    $"{member.Name} got '{message.Text}' as {message.Id} in epoch {message.Epoch}, acknowledged as {ack.Id} in epoch {ack.Epoch}");
            }
            var missing = Missing(events, acknowledged);
            Assert.True(missing.Count == 0, $"{member.Name} never got {missing.Count} acknowledged messages, and was not told they were lost, e.g. {missing.FirstOrDefault()}");
            var told = new HashSet<string>(Messages(events).Select(e => e.Text!), StringComparer.Ordinal);
            lost.UnionWith(acknowledged.Where(a => !told.Contains(a.Text)).Select(a => a.Text));
            if (expectReset)
                Assert.Contains(events, e => e.Type == "gap" && e.Reset == true);
            else
                Assert.DoesNotContain(events, e => e.Type == "gap");
        }
        return new Counts(members.Count, members.Sum(m => m.Sent.Count), acknowledged.Count, refusedTexts.Count, members.Sum(m => m.UnknownAnswers),
            received, members.Sum(m => m.Connections), resetGaps, lost.Count);
    }

    private static List<AckedMessage> AckedMessages(IReadOnlyList<LoadMember> members) =>
        [.. members.SelectMany(m => m.Acked.Select(a => new AckedMessage(m, a.Key, m.Sent[a.Key], a.Value.Id, a.Value.Epoch)))];

    /// <summary>
    /// The acknowledged messages a member has not received and was not told are gone. Told: a reset gap ended the epoch the
    /// message was acknowledged in, at an id (<c>from</c>, the last the member had of it) below the message's.
    /// </summary>
    private static List<AckedMessage> Missing(List<ReceivedEvent> events, List<AckedMessage> acknowledged)
    {
        var have = new HashSet<string>(Messages(events).Select(e => e.Text!), StringComparer.Ordinal);
        var ended = new List<(string? Epoch, long From)>();
        string? epoch = null;
        foreach (var e in events)
        {
            if (e.Type == "gap" && e.Reset == true)
                ended.Add((epoch, e.From!.Value));
            else if (e.Type != "gap")
                epoch = e.Epoch;
        }
        return [.. acknowledged.Where(a => !have.Contains(a.Text) && !ended.Any(end => end.Epoch == a.Epoch && end.From < a.Id))];
    }

    /// <summary>Ids run on by one; a jump or a new epoch only right after a gap notice that announces it.</summary>
    private static void AssertContiguousOrAnnounced(string name, List<ReceivedEvent> events)
    {
        ReceivedEvent? previous = null;
        ReceivedEvent? gap = null;
        foreach (var e in events)
        {
            if (e.Type == "gap")
            {
                gap = e;
                continue;
            }
            if (previous is not null)
            {
                var sameEpoch = e.Epoch == previous.Epoch;
                var followsOn = sameEpoch && e.Id == previous.Id + 1;
                var announced = gap is not null && gap.To == e.Id && (sameEpoch || gap.Reset == true);
                Assert.True(followsOn || announced, $"{name}: {previous} then {e} with no gap notice for it");
            }
            previous = e;
            gap = null;
        }
    }

    private static IEnumerable<ReceivedEvent> Messages(IEnumerable<ReceivedEvent> events) => events.Where(e => e.Type == "message");
}
