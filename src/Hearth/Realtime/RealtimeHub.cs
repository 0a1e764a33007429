using System.Collections.Concurrent;
using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// Who is where, for this Hearth instance: the channels joined on each topic (broadcast and presence go to
/// them), every postgres_changes subscription (the dispatcher reads a snapshot), and the open connections.
/// </summary>
public sealed class RealtimeHub(RealtimeOptions options)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<JoinedChannel, byte>> _topics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PresenceTopic> _presence = new(StringComparer.Ordinal);
    private readonly object _changesLock = new();
    private ChangeSubscription[] _changes = [];
    private long _nextId = 1000;
    private long _nextPresenceRef;
    private int _connections;

    public RealtimeOptions Options { get; } = options;

    /// <summary>With --database-url: carries broadcasts and presence to the other instances; null: this instance alone.</summary>
    public RealtimeRelay? Relay { get; set; }

    /// <summary>Tells this instance's presence refs from the others' (phx_ref must be unique on a topic).</summary>
    public string InstanceId { get; } = Guid.NewGuid().ToString("N")[..12];

    public string NewPresenceRef()
    {
        var n = Interlocked.Increment(ref _nextPresenceRef).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Relay is null ? n : InstanceId + "." + n;
    }

    public IEnumerable<string> PresenceTopics => _presence.Keys;

    /// <summary>Raised when the number of postgres_changes subscriptions goes from 0 to 1 or back.</summary>
    public event Action<bool>? ChangesWantedChanged;

    public ChangeSubscription[] ChangeSubscriptions => Volatile.Read(ref _changes);

    public long NextSubscriptionId() => Interlocked.Increment(ref _nextId);

    public bool TryOpenConnection()
    {
        if (Interlocked.Increment(ref _connections) <= Options.MaxConnections)
        {
            Hosting.HearthMetrics.RealtimeConnections.Add(1);
            return true;
        }
        Interlocked.Decrement(ref _connections);
        return false;
    }

    public void CloseConnection()
    {
        Interlocked.Decrement(ref _connections);
        Hosting.HearthMetrics.RealtimeConnections.Add(-1);
    }

    public int ConnectionCount => Volatile.Read(ref _connections);

    public void Add(JoinedChannel channel)
    {
        _topics.GetOrAdd(channel.Topic, _ => new())[channel] = 0;
        if (channel.Changes.Count == 0) return;
        bool first;
        lock (_changesLock)
        {
            first = _changes.Length == 0;
            _changes = [.. _changes, .. channel.Changes];
        }
        if (first) ChangesWantedChanged?.Invoke(true);
    }

    public void Remove(JoinedChannel channel)
    {
        channel.Closed = true;
        if (_topics.TryGetValue(channel.Topic, out var members)) members.TryRemove(channel, out _);
        if (channel.PresenceEnabled) Presence(channel.Topic).Leave(channel, this);
        if (channel.Changes.Count == 0) return;
        bool last;
        lock (_changesLock)
        {
            var before = _changes.Length;
            _changes = _changes.Where(s => s.Channel != channel).ToArray();
            last = before > 0 && _changes.Length == 0;
        }
        if (last) ChangesWantedChanged?.Invoke(false);
    }

    public IEnumerable<JoinedChannel> Members(string topic) =>
        _topics.TryGetValue(topic, out var members) ? members.Keys : [];

    public PresenceTopic Presence(string topic) => _presence.GetOrAdd(topic, t => new PresenceTopic(t));

    /// <summary>A user broadcast to every channel on the topic (the sender too when it asked for self), on every instance.</summary>
    public void Broadcast(string topic, JoinedChannel? sender, string @event, JsonElement payload, BinaryBroadcast? binary)
    {
        DeliverBroadcast(topic, sender, @event, payload, binary);
        Relay?.Broadcast(topic, @event, payload, binary);
    }

    /// <summary>A user broadcast to the channels on the topic on this instance.</summary>
    public void DeliverBroadcast(string topic, JoinedChannel? sender, string @event, JsonElement payload, BinaryBroadcast? binary)
    {
        Frame? v1 = null, v2 = null, bin = null;
        foreach (var member in Members(topic))
        {
            if (member.Closed || (member == sender && !member.BroadcastSelf)) continue;
            Frame frame;
            if (binary is { Json: false })
            {
                if (!member.Client.Vsn2) continue; // opaque bytes have no JSON form for a vsn 1.0.0 client
                frame = bin ??= PhoenixCodec.EncodeBinaryBroadcast(topic, binary);
            }
            else if (member.Client.Vsn2) frame = v2 ??= Encode(true);
            else frame = v1 ??= Encode(false);
            member.Client.Send(frame);
        }

        Frame Encode(bool vsn2) => PhoenixCodec.Encode(vsn2, null, null, topic, "broadcast", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "broadcast");
            w.WriteString("event", @event);
            w.WritePropertyName("payload");
            if (binary is { Json: true }) w.WriteRawValue(binary.Payload);
            else if (payload.ValueKind == JsonValueKind.Undefined) w.WriteNullValue();
            else payload.WriteTo(w);
            if (binary?.MetaJson is { } meta)
            {
                w.WritePropertyName("meta");
                w.WriteRawValue(meta);
            }
            w.WriteEndObject();
        });
    }
}
