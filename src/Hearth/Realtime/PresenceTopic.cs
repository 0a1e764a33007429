using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// Phoenix Presence for one topic on this instance: key → metas, each meta a client's tracked state plus its
/// phx_ref. Changes go to every member of the topic as presence_diff {joins, leaves}; a joining channel gets
/// presence_state, the whole map.
/// </summary>
public sealed class PresenceTopic(string topic)
{
    private sealed record Meta(JoinedChannel Channel, string Key, string Ref, string StateJson);

    private readonly object _lock = new();
    private readonly List<Meta> _metas = [];
    private long _nextRef;

    public void SendState(JoinedChannel to)
    {
        lock (_lock)
        {
            var byKey = _metas.GroupBy(m => m.Key).ToList();
            to.Client.Send(to.JoinRef, null, topic, "presence_state", w =>
            {
                w.WriteStartObject();
                foreach (var group in byKey) WriteKey(w, group.Key, group);
                w.WriteEndObject();
            });
        }
    }

    public void Track(JoinedChannel channel, JsonElement state, RealtimeHub hub)
    {
        var stateJson = state.ValueKind == JsonValueKind.Object ? state.GetRawText() : "{}";
        lock (_lock)
        {
            var old = _metas.Where(m => m.Channel == channel).ToList();
            _metas.RemoveAll(m => m.Channel == channel);
            var meta = new Meta(channel, channel.PresenceKey, (++_nextRef).ToString(System.Globalization.CultureInfo.InvariantCulture), stateJson);
            _metas.Add(meta);
            Diff(hub, [meta], old);
        }
    }

    public void Leave(JoinedChannel channel, RealtimeHub hub)
    {
        lock (_lock)
        {
            var old = _metas.Where(m => m.Channel == channel).ToList();
            if (old.Count == 0) return;
            _metas.RemoveAll(m => m.Channel == channel);
            Diff(hub, [], old);
        }
    }

    private void Diff(RealtimeHub hub, List<Meta> joins, List<Meta> leaves)
    {
        foreach (var member in hub.Members(topic))
        {
            if (member.Closed || !member.PresenceEnabled) continue;
            member.Client.Send(member.JoinRef, null, topic, "presence_diff", w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("joins");
                WriteMap(w, joins);
                w.WritePropertyName("leaves");
                WriteMap(w, leaves);
                w.WriteEndObject();
            });
        }
    }

    private static void WriteMap(Utf8JsonWriter w, List<Meta> metas)
    {
        w.WriteStartObject();
        foreach (var group in metas.GroupBy(m => m.Key)) WriteKey(w, group.Key, group);
        w.WriteEndObject();
    }

    private static void WriteKey(Utf8JsonWriter w, string key, IEnumerable<Meta> metas)
    {
        w.WritePropertyName(key);
        w.WriteStartObject();
        w.WritePropertyName("metas");
        w.WriteStartArray();
        foreach (var m in metas)
        {
            w.WriteStartObject();
            w.WriteString("phx_ref", m.Ref);
            using (var doc = JsonDocument.Parse(m.StateJson))
                foreach (var p in doc.RootElement.EnumerateObject())
                    if (p.Name is not ("phx_ref" or "phx_ref_prev")) p.WriteTo(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
