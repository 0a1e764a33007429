using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Realtime;

/// <summary>
/// Broadcast and presence across the Hearth instances of one database (--database-url only; one embedded Hearth
/// has nobody to tell): every instance LISTENs on <see cref="ChannelName"/> over a direct connection and NOTIFYs
/// there what its clients broadcast, track and untrack, tagged with its instance id (its own echoes are ignored).
/// <list type="bullet">
/// <item>Presence: each instance keeps the others' metas bound to the instance that tracks them. A starting (or
///   reconnected) instance says hello: the others forget what they held of it and send their own metas; it
///   sends its own. An instance says bye when it stops; one silent for <see cref="Silence"/> (a heartbeat goes
///   every <see cref="Heartbeat"/>) is taken for dead and its metas leave; should it speak again, it is asked
///   (sync) to send its metas once more.</item>
/// <item>A NOTIFY payload must stay under 8000 bytes: a larger message goes in parts (<see cref="RelayParts"/>).</item>
/// </list>
/// </summary>
public sealed class RealtimeRelay(RealtimeHub hub, DirectConnection direct, ILogger<RealtimeRelay> logger) : BackgroundService
{
    public const string ChannelName = "hearth_realtime";
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Silence = TimeSpan.FromSeconds(15);

    private readonly Channel<string> _outbox = Channel.CreateBounded<string>(new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
    private readonly ConcurrentDictionary<string, DateTime> _peers = new(StringComparer.Ordinal);
    private readonly RelayParts _parts = new();
    private NpgsqlConnection? _first;

    public override async Task StartAsync(CancellationToken ct)
    {
        if (!direct.External) return;
        hub.Relay = this;
        // Listening before Hearth reports ready, so nothing relayed right after is missed.
        try { _first = await ListenAsync(ct); }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Realtime: could not listen for other instances yet ({Message}); retrying in the background", e.Message.Split('\n', 2)[0]);
        }
        await base.StartAsync(ct);
    }

    public override async Task StopAsync(CancellationToken ct)
    {
        if (hub.Relay != this) return;
        Send(w => w.WriteString("type", "bye"));
        _outbox.Writer.TryComplete();
        try { await Task.WhenAny(_outbox.Reader.Completion, Task.Delay(TimeSpan.FromSeconds(2), ct)); }
        catch (OperationCanceledException) { }
        await base.StopAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken ct) => Task.WhenAll(ListenLoopAsync(ct), SendLoopAsync(ct), HeartbeatLoopAsync(ct));

    /// <summary>A broadcast for the other instances' clients on the topic.</summary>
    public void Broadcast(string topic, string @event, JsonElement payload, BinaryBroadcast? binary) =>
        Send(w =>
        {
            w.WriteString("type", "broadcast");
            w.WriteString("topic", topic);
            w.WriteString("event", @event);
            if (binary is not null)
            {
                w.WriteBase64String("bin", binary.Payload);
                w.WriteBoolean("json", binary.Json);
                if (binary.MetaJson is { } meta) w.WriteString("meta", meta);
            }
            else if (payload.ValueKind != JsonValueKind.Undefined)
            {
                w.WritePropertyName("payload");
                payload.WriteTo(w);
            }
        });

    /// <summary>This instance's presence changes on a topic, for the other instances.</summary>
    public void Presence(string topic, IReadOnlyList<PresenceMeta> joins, IReadOnlyList<PresenceMeta> leaves) => Send(w =>
    {
        w.WriteString("type", "presence");
        w.WriteString("topic", topic);
        w.WriteStartArray("joins");
        foreach (var m in joins)
        {
            w.WriteStartObject();
            w.WriteString("key", m.Key);
            w.WriteString("ref", m.Ref);
            w.WriteString("state", m.StateJson);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("leaves");
        foreach (var m in leaves)
        {
            w.WriteStartObject();
            w.WriteString("key", m.Key);
            w.WriteString("ref", m.Ref);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    });

    /// <summary>Queues one message (JSON; the writer escapes non-ASCII, so any server encoding takes it), in parts when large.</summary>
    private void Send(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("from", hub.InstanceId);
            body(w);
            w.WriteEndObject();
        }
        foreach (var payload in _parts.Split(hub.InstanceId, buffer.WrittenSpan)) _outbox.Writer.TryWrite(payload);
    }

    private void Hello()
    {
        Send(w => w.WriteString("type", "hello"));
        AnnounceLocal();
    }

    private void AnnounceLocal()
    {
        foreach (var topic in hub.PresenceTopics)
            if (hub.Presence(topic).Local() is { Count: > 0 } local) Presence(topic, local, []);
    }

    private void OnNotification(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            var from = root.GetProperty("from").GetString()!;
            if (from == hub.InstanceId) return;
            var type = root.GetProperty("type").GetString();
            // An instance heard from for the first time (or again after it was taken for dead) tells what it tracks.
            if (_peers.TryAdd(from, DateTime.UtcNow) && type is not ("hello" or "bye")) Send(w => { w.WriteString("type", "sync"); w.WriteString("to", from); });
            _peers[from] = DateTime.UtcNow;
            switch (type)
            {
                case "part":
                    if (_parts.Assemble(from, root) is { } whole) OnNotification(whole);
                    break;
                case "broadcast":
                    var topic = root.GetProperty("topic").GetString()!;
                    var @event = root.GetProperty("event").GetString()!;
                    if (root.TryGetProperty("bin", out var bin))
                        hub.DeliverBroadcast(topic, null, @event, default, new BinaryBroadcast(@event, bin.GetBytesFromBase64(), root.GetProperty("json").GetBoolean(),
                            root.TryGetProperty("meta", out var meta) ? meta.GetString() : null));
                    else hub.DeliverBroadcast(topic, null, @event, root.TryGetProperty("payload", out var p) ? p : default, null);
                    break;
                case "presence":
                    hub.Presence(root.GetProperty("topic").GetString()!).ApplyRemote(from, Metas(root.GetProperty("joins")), Metas(root.GetProperty("leaves")), hub);
                    break;
                case "hello":
                    Forget(from); // it restarted its relay: what it tracks comes again
                    AnnounceLocal();
                    break;
                case "sync" when root.GetProperty("to").GetString() == hub.InstanceId:
                    AnnounceLocal();
                    break;
                case "bye":
                    Forget(from);
                    _peers.TryRemove(from, out _);
                    break;
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            logger.LogWarning("Realtime: ignored a malformed message on channel {Channel}: {Message}", ChannelName, e.Message);
        }

        static List<PresenceMeta> Metas(JsonElement list) => list.EnumerateArray()
            .Select(m => new PresenceMeta(m.GetProperty("key").GetString()!, m.GetProperty("ref").GetString()!,
                m.TryGetProperty("state", out var s) ? s.GetString()! : "{}")).ToList();
    }

    private void Forget(string instance)
    {
        _parts.Forget(instance);
        foreach (var topic in hub.PresenceTopics) hub.Presence(topic).DropInstance(instance, hub);
    }

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        var conn = _first;
        _first = null;
        var failures = 0;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                try
                {
                    conn ??= await ListenAsync(ct);
                    failures = 0;
                    while (true) await conn.WaitAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    if (failures == 0) logger.LogWarning("Realtime: lost the connection to the other instances ({Message}); reconnecting", e.Message.Split('\n', 2)[0]);
                    if (conn is not null) await conn.DisposeAsync();
                    conn = null;
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 250 << Math.Min(failures++, 5))), ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            if (conn is not null) await conn.DisposeAsync();
        }
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        var conn = await direct.OpenAsync("hearth realtime relay", ct);
        try
        {
            conn.Notification += (_, e) => OnNotification(e.Payload);
            await using var listen = new NpgsqlCommand("listen " + ChannelName, conn);
            await listen.ExecuteNonQueryAsync(ct);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
        // Notifications may have been missed while not listening: start over with the others.
        foreach (var peer in _peers.Keys) Forget(peer);
        _peers.Clear();
        Hello();
        return conn;
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        NpgsqlConnection? conn = null;
        var batch = new List<string>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(ct))
            {
                while (batch.Count < 100 && _outbox.Reader.TryRead(out var m)) batch.Add(m);
                try
                {
                    conn ??= await direct.OpenAsync("hearth realtime relay", ct);
                    // One transaction: the other instances receive these together and in this order.
                    await using var cmd = new NpgsqlBatch(conn);
                    foreach (var m in batch)
                    {
                        var notify = new NpgsqlBatchCommand("select pg_notify($1, $2)");
                        notify.Parameters.Add(new NpgsqlParameter { Value = ChannelName });
                        notify.Parameters.Add(new NpgsqlParameter { Value = m });
                        cmd.BatchCommands.Add(notify);
                    }
                    await cmd.ExecuteNonQueryAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested && e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
                {
                    logger.LogWarning("Realtime: {Count} message(s) for the other instances were lost ({Message})", batch.Count, e.Message.Split('\n', 2)[0]);
                    if (conn is not null) await conn.DisposeAsync();
                    conn = null;
                    await Task.Delay(500, ct);
                }
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            if (conn is not null) await conn.DisposeAsync();
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(Heartbeat, ct);
                Send(w => w.WriteString("type", "alive"));
                var silentSince = DateTime.UtcNow - Silence;
                foreach (var (peer, seen) in _peers)
                    if (seen < silentSince && _peers.TryRemove(peer, out _))
                    {
                        logger.LogInformation("Realtime: instance {Instance} is silent; its presence entries leave", peer);
                        Forget(peer);
                    }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }
}
