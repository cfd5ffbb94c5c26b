namespace HostKit.Hosts.Runtime;

/// <summary>
/// A first-in, first-out list of <see cref="QueuedSend"/> linked through the entries themselves, so
/// that adding allocates nothing and a cancelled entry leaves from the middle at once. A struct held
/// in one field of <see cref="SendQueue"/> and used under its lock: never copy it.
/// </summary>
internal struct QueuedSendList
{
    private QueuedSend? _first;
    private QueuedSend? _last;

    public readonly QueuedSend? First => _first;

    public readonly bool IsEmpty => _first is null;

    public void Add(QueuedSend entry)
    {
        entry.Previous = _last;
        entry.Next = null;
        if (_last is null)
            _first = entry;
        else
            _last.Next = entry;
        _last = entry;
    }

    public void Remove(QueuedSend entry)
    {
        if (entry.Previous is null)
            _first = entry.Next;
        else
            entry.Previous.Next = entry.Next;
        if (entry.Next is null)
            _last = entry.Previous;
        else
            entry.Next.Previous = entry.Previous;
        entry.Next = null;
        entry.Previous = null;
    }

    public QueuedSend? TakeFirst()
    {
        var first = _first;
        if (first is not null)
            Remove(first);
        return first;
    }

    /// <summary>Empties the list and returns its first entry; the rest stay reachable through <see cref="QueuedSend.Next"/>.</summary>
    public QueuedSend? DetachAll()
    {
        var first = _first;
        _first = null;
        _last = null;
        return first;
    }
}
