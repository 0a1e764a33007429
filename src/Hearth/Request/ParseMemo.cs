using System.Collections.Concurrent;

namespace Hearth.Request;

/// <summary>
/// Remembers the parses of the query-string parts that carry no values: select, order, the keys of
/// filters and limits, columns, on_conflict, and whole query strings without filters (a list and its pages).
/// Nearly every request repeats a few such texts, their parsers are pure and their results immutable, and
/// parsing them was the largest part of Hearth's own CPU per read (bench/throughput.sh, perf, callgrind).
/// Filter values are never remembered: they differ per request.
/// <para>
/// Every request's text is hostile, so the memo is bounded: a text longer than <see cref="MaxTextLength"/>
/// is parsed and forgotten, and a memo that reaches its capacity starts afresh. A flood of distinct texts
/// then costs speed, never memory. A text that fails to parse is never remembered (the parser throws).
/// </para>
/// </summary>
internal sealed class ParseMemo<TKey, T>(int capacity) where TKey : notnull
{
    public const int MaxTextLength = 256;

    private readonly ConcurrentDictionary<TKey, T> _parsed = new();
    private int _count;

    public T GetOrParse(TKey key, int textLength, Func<TKey, T> parse)
    {
        if (textLength > MaxTextLength) return parse(key);
        if (_parsed.TryGetValue(key, out var hit)) return hit;
        var parsed = parse(key);
        Remember(key, parsed);
        return parsed;
    }

    /// <summary>For a caller that decides after parsing whether a result is worth remembering (<see cref="Remember"/>).</summary>
    public bool TryGet(TKey key, int textLength, out T parsed)
    {
        parsed = default!;
        return textLength <= MaxTextLength && _parsed.TryGetValue(key, out parsed!);
    }

    /// <summary>Remembers a parse of a text no longer than <see cref="MaxTextLength"/> (the caller checks).</summary>
    public void Remember(TKey key, T parsed)
    {
        if (Interlocked.Increment(ref _count) > capacity)
        {
            _parsed.Clear();
            Interlocked.Exchange(ref _count, 1);
        }
        _parsed.TryAdd(key, parsed);
    }
}
