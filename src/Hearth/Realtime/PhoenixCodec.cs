using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// The serializers realtime-js negotiates with the <c>vsn</c> query parameter. 1.0.0: every frame is a JSON
/// object {join_ref, ref, topic, event, payload}. 2.0.0: text frames are the JSON array
/// [join_ref, ref, topic, event, payload]; a client's user broadcast may come as a binary frame (kind 3:
/// lengths of join_ref, ref, topic, event, metadata, then the encoding byte, the strings and the payload) and
/// a server's user broadcast may go out as one (kind 4: lengths of topic, event, metadata, encoding, strings, payload).
/// </summary>
public static class PhoenixCodec
{
    public const string Vsn1 = "1.0.0";
    public const string Vsn2 = "2.0.0";
    private const byte UserBroadcastPush = 3;
    private const byte UserBroadcast = 4;
    private const byte JsonEncoding = 1;

    /// <summary>Reads a client frame; a malformed one is a <see cref="FormatException"/>.</summary>
    public static PhoenixMessage Decode(ReadOnlySpan<byte> data, bool binary, bool vsn2)
    {
        if (binary) return vsn2 ? DecodeBroadcastPush(data) : throw new FormatException("binary frames need vsn 2.0.0");
        try
        {
            using var doc = JsonDocument.Parse(data.ToArray());
            var root = doc.RootElement;
            if (vsn2)
            {
                if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() != 5) throw new FormatException("a message is [join_ref, ref, topic, event, payload]");
                return Build(root[0], root[1], root[2], root[3], root[4]);
            }
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException("a message is a JSON object");
            JsonElement Get(string name) => root.TryGetProperty(name, out var v) ? v : default;
            return Build(Get("join_ref"), Get("ref"), Get("topic"), Get("event"), Get("payload"));
        }
        catch (JsonException e) { throw new FormatException("not JSON: " + e.Message); }
        catch (InvalidOperationException e) { throw new FormatException(e.Message); }
    }

    private static PhoenixMessage Build(JsonElement joinRef, JsonElement @ref, JsonElement topic, JsonElement @event, JsonElement payload)
    {
        if (topic.ValueKind != JsonValueKind.String || @event.ValueKind != JsonValueKind.String) throw new FormatException("topic and event must be strings");
        return new PhoenixMessage(Ref(joinRef), Ref(@ref), topic.GetString()!, @event.GetString()!,
            payload.ValueKind == JsonValueKind.Undefined ? default : payload.Clone());
    }

    private static string? Ref(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => throw new FormatException("a ref is a string"),
    };

    private static PhoenixMessage DecodeBroadcastPush(ReadOnlySpan<byte> data)
    {
        if (data.Length < 7 || data[0] != UserBroadcastPush) throw new FormatException("unknown binary frame");
        int joinRefLen = data[1], refLen = data[2], topicLen = data[3], eventLen = data[4], metaLen = data[5];
        var json = data[6] == JsonEncoding;
        var offset = 7;
        if (data.Length < offset + joinRefLen + refLen + topicLen + eventLen + metaLen) throw new FormatException("truncated binary frame");
        var joinRef = Next(data, ref offset, joinRefLen);
        var @ref = Next(data, ref offset, refLen);
        var topic = Next(data, ref offset, topicLen);
        var @event = Next(data, ref offset, eventLen);
        var meta = Next(data, ref offset, metaLen);
        var payload = data[offset..].ToArray();
        if (json)
        {
            try { using var _ = JsonDocument.Parse(payload); }
            catch (JsonException) { throw new FormatException("the broadcast payload is not JSON"); }
        }
        return new PhoenixMessage(joinRef.Length == 0 ? null : joinRef, @ref.Length == 0 ? null : @ref, topic, "broadcast", default)
        {
            Broadcast = new BinaryBroadcast(@event, payload, json, meta.Length == 0 ? null : meta),
        };
    }

    private static string Next(ReadOnlySpan<byte> data, ref int offset, int length)
    {
        var s = Encoding.UTF8.GetString(data.Slice(offset, length));
        offset += length;
        return s;
    }

    /// <summary>A text frame; <paramref name="payload"/> writes the payload value.</summary>
    public static Frame Encode(bool vsn2, string? joinRef, string? @ref, string topic, string @event, Action<Utf8JsonWriter> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (vsn2)
            {
                w.WriteStartArray();
                WriteNullable(w, joinRef);
                WriteNullable(w, @ref);
                w.WriteStringValue(topic);
                w.WriteStringValue(@event);
                payload(w);
                w.WriteEndArray();
            }
            else
            {
                w.WriteStartObject();
                w.WritePropertyName("join_ref"); WriteNullable(w, joinRef);
                w.WritePropertyName("ref"); WriteNullable(w, @ref);
                w.WriteString("topic", topic);
                w.WriteString("event", @event);
                w.WritePropertyName("payload");
                payload(w);
                w.WriteEndObject();
            }
        }
        return new Frame(buffer.WrittenSpan.ToArray(), false);
    }

    /// <summary>A server user broadcast with an opaque payload (kind 4), for vsn 2.0.0 clients.</summary>
    public static Frame EncodeBinaryBroadcast(string topic, BinaryBroadcast b)
    {
        var t = Encoding.UTF8.GetBytes(topic);
        var e = Encoding.UTF8.GetBytes(b.Event);
        var m = Encoding.UTF8.GetBytes(b.MetaJson ?? "");
        if (t.Length > 255 || e.Length > 255 || m.Length > 255) throw new FormatException("topic, event or metadata longer than 255 bytes");
        var data = new byte[5 + t.Length + e.Length + m.Length + b.Payload.Length];
        data[0] = UserBroadcast;
        data[1] = (byte)t.Length;
        data[2] = (byte)e.Length;
        data[3] = (byte)m.Length;
        data[4] = b.Json ? JsonEncoding : (byte)0;
        var offset = 5;
        foreach (var part in new[] { t, e, m, b.Payload })
        {
            part.CopyTo(data, offset);
            offset += part.Length;
        }
        return new Frame(data, true);
    }

    private static void WriteNullable(Utf8JsonWriter w, string? s)
    {
        if (s is null) w.WriteNullValue();
        else w.WriteStringValue(s);
    }
}
