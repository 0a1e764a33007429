using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// PostgreSQL refuses NOTIFY payloads of 8000 bytes or more: a larger relay message goes as numbered parts
/// ({from, type: "part", id, n, of, data}: base64 of the message's UTF-8), put together again on arrival.
/// Parts of one message are sent in order, mostly in one transaction; ones whose rest never comes are bounded.
/// </summary>
public sealed class RelayParts
{
    public const int MaxPayloadBytes = 7999;
    private const int PartChars = 7600; // base64 per part: with the envelope, under MaxPayloadBytes

    private readonly ConcurrentDictionary<(string From, string Id), string?[]> _pending = new();
    private long _next;

    /// <summary>What to NOTIFY for one message: itself when it fits, else its parts.</summary>
    public List<string> Split(string from, ReadOnlySpan<byte> message)
    {
        if (message.Length <= MaxPayloadBytes) return [Encoding.UTF8.GetString(message)];
        var all = Convert.ToBase64String(message);
        var id = Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var count = (all.Length + PartChars - 1) / PartChars;
        var parts = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("from", from);
                w.WriteString("type", "part");
                w.WriteString("id", id);
                w.WriteNumber("n", i);
                w.WriteNumber("of", count);
                w.WriteString("data", all.AsSpan(i * PartChars, Math.Min(PartChars, all.Length - i * PartChars)));
                w.WriteEndObject();
            }
            parts.Add(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }
        return parts;
    }

    /// <summary>Takes one part; returns the whole message once every part is in, else null.</summary>
    public string? Assemble(string from, JsonElement part)
    {
        var of = part.GetProperty("of").GetInt32();
        var n = part.GetProperty("n").GetInt32();
        if (of is < 1 or > 100_000 || n < 0 || n >= of) return null;
        if (_pending.Count > 1000) _pending.Clear(); // messages whose rest was lost: never unbounded
        var key = (from, part.GetProperty("id").GetString()!);
        var parts = _pending.GetOrAdd(key, _ => new string?[of]);
        if (parts.Length != of) return null;
        parts[n] = part.GetProperty("data").GetString();
        if (parts.Any(p => p is null)) return null;
        _pending.TryRemove(key, out _);
        return Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(parts)));
    }

    /// <summary>An instance that is gone: its unfinished messages go too.</summary>
    public void Forget(string from)
    {
        foreach (var key in _pending.Keys)
            if (key.From == from) _pending.TryRemove(key, out _);
    }
}
