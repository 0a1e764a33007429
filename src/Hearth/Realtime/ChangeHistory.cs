namespace Hearth.Realtime;

/// <summary>
/// The recent committed changes this instance's feed read, kept so a change stream can resume from
/// <c>Last-Event-ID</c>: a queue bounded by age (<see cref="RealtimeOptions.SseRetention"/>), by count
/// (<see cref="MaxEntries"/>) and by an estimate of its bytes (<see cref="MaxBytes"/>). It holds every change
/// after <see cref="Floor"/>; a new replication slot starts it afresh (what was committed while no slot
/// existed was never read). It covers only what the feed read while it ran — the feed runs while someone
/// subscribes (and <see cref="RealtimeOptions.SlotIdleTimeout"/> after).
/// </summary>
public sealed class ChangeHistory(RealtimeOptions options, TimeProvider time)
{
    public const int MaxEntries = 50_000;
    public const long MaxBytes = 64L * 1024 * 1024;

    public sealed record Entry(ChangePosition Position, RowChange Change, DateTimeOffset CommitTime, long Added, long Bytes);

    /// <summary>What a stream resuming after a position gets: the changes after it, or none when it cannot resume.</summary>
    public sealed record Replay(bool Resumable, ChangePosition? Head, IReadOnlyList<Entry> Entries);

    private readonly object _lock = new();
    private readonly Queue<Entry> _entries = new();
    private long _bytes;
    private ChangePosition? _floor;
    private ChangePosition _head;

    /// <summary>The last position read (null before the feed read anything).</summary>
    public ChangePosition? Head { get { lock (_lock) return _floor is null ? null : _head; } }

    /// <summary>A new slot whose stream starts at <paramref name="consistentPoint"/>: every change it sends ends after it.</summary>
    public void Reset(ulong consistentPoint)
    {
        lock (_lock)
        {
            _entries.Clear();
            _bytes = 0;
            _floor = _head = new ChangePosition(consistentPoint, 0);
        }
    }

    public void Add(ChangePosition position, RowChange change, DateTimeOffset commitTime)
    {
        var bytes = 128 + Size(change.New) + Size(change.Old);
        lock (_lock)
        {
            // A slot kept across a PostgreSQL restart before this process ever created one: known from here on.
            _floor ??= new ChangePosition(position.Lsn - 1, uint.MaxValue);
            if (position <= _head) return;
            _entries.Enqueue(new Entry(position, change, commitTime, time.GetTimestamp(), bytes));
            _bytes += bytes;
            _head = position;
            Evict();
        }
    }

    /// <summary>The changes after <paramref name="after"/>, when this history holds all of them.</summary>
    public Replay After(ChangePosition after)
    {
        lock (_lock)
        {
            Evict();
            if (_floor is not { } floor) return new Replay(false, null, []);
            if (after < floor || after > _head) return new Replay(false, _head, []);
            return new Replay(true, _head, _entries.Where(e => e.Position > after).ToList());
        }
    }

    private void Evict()
    {
        var now = time.GetTimestamp();
        var maxAge = options.SseRetention;
        while (_entries.TryPeek(out var oldest) &&
               (_entries.Count > MaxEntries || _bytes > MaxBytes || time.GetElapsedTime(oldest.Added, now) >= maxAge))
        {
            _entries.Dequeue();
            _bytes -= oldest.Bytes;
            _floor = oldest.Position; // everything after it is still here
        }
    }

    private static long Size(string?[]? values)
    {
        if (values is null) return 0;
        long n = 32 + 8L * values.Length;
        foreach (var v in values) if (v is not null) n += 24 + 2L * v.Length;
        return n;
    }
}
