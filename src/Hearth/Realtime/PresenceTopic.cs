using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// Phoenix Presence for one topic: key → metas, each meta a client's tracked state plus its phx_ref. Changes go
/// to every member of the topic on this instance as presence_diff {joins, leaves}; a joining channel gets
/// presence_state, the whole map. With several instances the map also holds the metas other instances relayed
/// (<see cref="RealtimeRelay"/>), bound to that instance: they go when it says so, or when it is gone.
/// </summary>
public sealed class PresenceTopic(string topic)
{
    /// <summary>One tracked presence: its own channel when local, else the instance that tracks it.</summary>
    private sealed record Meta(JoinedChannel? Channel, string? Instance, PresenceMeta Presence)
    {
        public string Key => Presence.Key;
    }

    private readonly object _lock = new();
    private readonly List<Meta> _metas = [];

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
            var meta = new Meta(channel, null, new PresenceMeta(channel.PresenceKey, hub.NewPresenceRef(), stateJson));
            _metas.Add(meta);
            Diff(hub, [meta], old);
            hub.Relay?.Presence(topic, [meta.Presence], old.Select(m => m.Presence).ToList());
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
            hub.Relay?.Presence(topic, [], old.Select(m => m.Presence).ToList());
        }
    }

    /// <summary>This instance's own metas (what another instance asks for when it starts).</summary>
    public List<PresenceMeta> Local()
    {
        lock (_lock) return _metas.Where(m => m.Channel is not null).Select(m => m.Presence).ToList();
    }

    /// <summary>Another instance's joins and leaves; repeated ones change nothing.</summary>
    public void ApplyRemote(string instance, IReadOnlyList<PresenceMeta> joins, IReadOnlyList<PresenceMeta> leaves, RealtimeHub hub)
    {
        lock (_lock)
        {
            var left = _metas.Where(m => m.Instance == instance && leaves.Any(l => l.Ref == m.Presence.Ref)).ToList();
            _metas.RemoveAll(left.Contains);
            var joined = joins.Where(j => !_metas.Any(m => m.Instance == instance && m.Presence.Ref == j.Ref))
                .Select(j => new Meta(null, instance, j)).ToList();
            _metas.AddRange(joined);
            if (joined.Count > 0 || left.Count > 0) Diff(hub, joined, left);
        }
    }

    /// <summary>An instance stopped or stopped answering: its metas leave.</summary>
    public void DropInstance(string instance, RealtimeHub hub)
    {
        lock (_lock)
        {
            var left = _metas.Where(m => m.Instance == instance).ToList();
            if (left.Count == 0) return;
            _metas.RemoveAll(m => m.Instance == instance);
            Diff(hub, [], left);
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
            w.WriteString("phx_ref", m.Presence.Ref);
            using (var doc = JsonDocument.Parse(m.Presence.StateJson))
                foreach (var p in doc.RootElement.EnumerateObject())
                    if (p.Name is not ("phx_ref" or "phx_ref_prev")) p.WriteTo(w);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}

/// <summary>A tracked presence as it travels between instances: key, phx_ref, the client's state as JSON.</summary>
public sealed record PresenceMeta(string Key, string Ref, string StateJson);
