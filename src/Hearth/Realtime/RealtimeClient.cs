using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Hearth.Realtime;

/// <summary>
/// One open connection (a WebSocket, or an SSE stream): its outgoing queue, bounded so a slow reader cannot
/// grow memory without limit, and the channels it joined. Producers (broadcasts, presence, changes) only
/// enqueue; the connection's own loop writes to the network.
/// </summary>
public sealed class RealtimeClient(bool vsn2, int maxQueued)
{
    private readonly Channel<Frame> _queue = Channel.CreateBounded<Frame>(new BoundedChannelOptions(maxQueued)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait, // TryWrite fails when full: that is the overflow signal
    });
    private readonly CancellationTokenSource _overflow = new();

    public bool Vsn2 { get; } = vsn2;

    /// <summary>Joined channels by topic.</summary>
    public ConcurrentDictionary<string, JoinedChannel> Channels { get; } = new(StringComparer.Ordinal);

    public ChannelReader<Frame> Outgoing => _queue.Reader;

    /// <summary>Cancelled when the queue overflowed: the connection loop disconnects the client then.</summary>
    public CancellationToken Overflowed => _overflow.Token;

    public bool IsOverflowed => _overflow.IsCancellationRequested;

    /// <summary>Queues a frame; a full queue marks the client overflowed and drops the frame.</summary>
    public bool Send(Frame frame)
    {
        if (_queue.Writer.TryWrite(frame))
        {
            Queued();
            return true;
        }
        MarkOverflowed();
        return false;
    }

    /// <summary>Queues a frame, waiting for room (a change stream's replay, which paces itself by the reader).</summary>
    public async ValueTask SendWaitingAsync(Frame frame, CancellationToken ct)
    {
        await _queue.Writer.WriteAsync(frame, ct);
        Queued();
    }

    /// <summary>The next queued frame, if any (the connection's writer).</summary>
    public bool TryRead(out Frame frame)
    {
        if (!_queue.Reader.TryRead(out frame)) return false;
        Hosting.HearthMetrics.RealtimeQueuedMessages.Add(-1);
        return true;
    }

    /// <summary>Marks the client too slow: its connection loop disconnects it.</summary>
    public void MarkOverflowed()
    {
        if (_overflow.IsCancellationRequested) return;
        try { _overflow.Cancel(); } catch (ObjectDisposedException) { return; }
        Hosting.HearthMetrics.RealtimeOverflowDisconnects.Add(1);
    }

    /// <summary>The connection is gone: nothing more is queued, and what is left is dropped.</summary>
    public void Close()
    {
        _queue.Writer.TryComplete();
        while (TryRead(out _)) { }
    }

    private static void Queued()
    {
        Hosting.HearthMetrics.RealtimeQueuedMessages.Add(1);
        Hosting.HearthMetrics.RealtimeMessages.Add(1);
    }

    public void Send(string? joinRef, string? @ref, string topic, string @event, Action<System.Text.Json.Utf8JsonWriter> payload) =>
        Send(PhoenixCodec.Encode(Vsn2, joinRef, @ref, topic, @event, payload));

    public void Complete() => _queue.Writer.TryComplete();
}

/// <summary>A topic one client joined, with the join's options and who it runs as.</summary>
public sealed class JoinedChannel(RealtimeClient client, string topic, string? joinRef)
{
    public RealtimeClient Client { get; } = client;
    public string Topic { get; } = topic;
    public string? JoinRef { get; } = joinRef;
    public string SubTopic => Topic.StartsWith("realtime:", StringComparison.Ordinal) ? Topic["realtime:".Length..] : Topic;

    /// <summary>Replaced when the client sends a new access_token.</summary>
    public volatile Subscriber Subscriber = null!;

    public bool BroadcastSelf { get; init; }
    public bool BroadcastAck { get; init; }
    public bool PresenceEnabled { get; init; }
    public string PresenceKey { get; init; } = "";
    public IReadOnlyList<ChangeSubscription> Changes { get; set; } = [];

    /// <summary>Set once the channel left or was closed: nothing more is delivered on it.</summary>
    public volatile bool Closed;
}

/// <summary>Who a channel runs as: the database role and request.jwt.claims, and when its token expires.</summary>
public sealed record Subscriber(string Role, string ClaimsJson, DateTimeOffset? Expires)
{
    public bool IsExpired(DateTimeOffset now) => Expires is { } e && now > e + Auth.JwtValidator.AllowedSkew;
}

/// <summary>One postgres_changes binding of a joined channel.</summary>
public sealed record ChangeSubscription(long Id, JoinedChannel Channel, string Event, string Schema, string? Table, ChangeFilter? Filter, string? FilterText)
{
    /// <summary>A change stream (SSE) decides and writes its own events; null for Phoenix channels.</summary>
    public IChangeSink? Sink { get; init; }

    public bool Wants(string schema, string table, string kind) =>
        Schema == schema && (Table is null or "*" || Table == table) && (Event == "*" || Event == kind);
}
