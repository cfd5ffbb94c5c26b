using HostKit.Tests.Chat;

namespace HostKit.Tests.ScaleOut.Faults;

/// <summary>
/// Checks what every member sent against the answers it got and what every member received, after a fault
/// (docs/chat.md's promise): every message acknowledged and delivered once to every member, or refused to its sender;
/// every resume complete or announced with a gap. Returns the counts the issue asks to be quoted.
/// </summary>
public static class FaultLedger
{
    public sealed record Counts(int Members, int Sent, int Acked, int Refused, int UnknownAnswers, int Received, int Connections, int ResetGaps, int LostWithRedis)
    {
        public override string ToString() =>
            $"{Members} members: sent {Sent}, acknowledged {Acked}, refused {Refused} (unknown answers resent: {UnknownAnswers}); " +
            $"message events received {Received} over all members; connections {Connections}; reset gaps {ResetGaps}; acknowledged then lost with Redis's data {LostWithRedis}";
    }

    /// <summary>True once every member has received every acknowledged message (of the current log, when Redis lost its data).</summary>
    public static bool AllDelivered(IReadOnlyList<LoadMember> members, bool redisLostData)
    {
        var expected = redisLostData ? FinalEpochTexts(members) : members.SelectMany(m => m.Acked.Keys.Select(cid => m.Sent[cid])).ToHashSet(StringComparer.Ordinal);
        return members.All(m => expected.IsSubsetOf(Messages(m.ReceivedSnapshot(), redisLostData ? FinalEpoch(members) : null).Select(e => e.Text!)));
    }

    public static Counts Check(IReadOnlyList<LoadMember> members, bool redisLostData)
    {
        var ackedTexts = new Dictionary<string, long>(StringComparer.Ordinal);
        var refusedTexts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            Assert.True(member.Unresolved == 0, $"{member.Name} has messages with no answer");
            foreach (var (cid, text) in member.Sent)
            {
                var acked = member.Acked.TryGetValue(cid, out var id);
                Assert.True(acked != member.Refused.Contains(cid), $"{cid} must be acknowledged or refused, not both or neither");
                if (acked)
                    ackedTexts[text] = id;
                else
                    refusedTexts.Add(text);
            }
            Assert.DoesNotContain(member.Closes, code => code == 1008);    // an honest client is never closed for its rate
        }

        var finalEpoch = FinalEpoch(members);
        var received = 0;
        var resetGaps = 0;
        var seenAnywhere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            var events = member.ReceivedSnapshot();
            AssertContiguousOrAnnounced(member.Name, events);
            resetGaps += events.Count(e => e.Type == "gap" && e.Reset == true);
            foreach (var epoch in events.Where(e => e.Epoch is not null).GroupBy(e => e.Epoch))
            {
                var texts = Messages(epoch, null).Select(e => e.Text!).ToList();
                Assert.True(texts.Count == texts.Distinct().Count(), $"{member.Name} got a message twice in epoch {epoch.Key}");
            }
            foreach (var message in Messages(events, null))
            {
                received++;
                seenAnywhere.Add(message.Text!);
                Assert.False(refusedTexts.Contains(message.Text!), $"'{message.Text}' was refused to its sender, yet stored and delivered");
                if (!redisLostData)
                    Assert.Equal(ackedTexts[message.Text!], message.Id);     // delivered with the id it was acknowledged with
            }
            if (!redisLostData)
            {
                var missing = ackedTexts.Keys.Except(Messages(events, null).Select(e => e.Text!)).ToList();
                Assert.True(missing.Count == 0, $"{member.Name} never got {missing.Count} acknowledged messages, e.g. {missing.FirstOrDefault()}");
                Assert.DoesNotContain(events, e => e.Type == "gap");
            }
        }
        var lost = 0;
        if (redisLostData)
        {
            // Acknowledged, then lost with Redis's data, is Redis's loss; it must be announced: every member got a reset.
            lost = ackedTexts.Keys.Count(t => !seenAnywhere.Contains(t));
            Assert.All(members, m => Assert.Contains(m.ReceivedSnapshot(), e => e.Type == "gap" && e.Reset == true));
            var final = FinalEpochTexts(members);
            Assert.All(members, m => Assert.Subset(Messages(m.ReceivedSnapshot(), finalEpoch).Select(e => e.Text!).ToHashSet(StringComparer.Ordinal), final));
        }
        return new Counts(members.Count, members.Sum(m => m.Sent.Count), ackedTexts.Count, refusedTexts.Count, members.Sum(m => m.UnknownAnswers),
            received, members.Sum(m => m.Connections), resetGaps, lost);
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

    private static IEnumerable<ReceivedEvent> Messages(IEnumerable<ReceivedEvent> events, string? epoch) =>
        events.Where(e => e.Type == "message" && (epoch is null || e.Epoch == epoch));

    private static string? FinalEpoch(IReadOnlyList<LoadMember> members) =>
        members.SelectMany(m => m.ReceivedSnapshot()).Where(e => e.Epoch is not null).MaxBy(e => e.Ts)?.Epoch;

    private static HashSet<string> FinalEpochTexts(IReadOnlyList<LoadMember> members)
    {
        var epoch = FinalEpoch(members);
        return members.SelectMany(m => Messages(m.ReceivedSnapshot(), epoch)).Select(e => e.Text!).ToHashSet(StringComparer.Ordinal);
    }
}
