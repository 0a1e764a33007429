namespace Hearth.Realtime;

/// <summary>`[realtime]` in config.toml and the --realtime-* flags.</summary>
public sealed record RealtimeOptions
{
    /// <summary>Serve /realtime/v1 and change streams at all.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Open WebSocket connections and SSE streams together; past it a new one is refused with 429.</summary>
    public int MaxConnections { get; init; } = 10_000;

    /// <summary>Frames waiting for one client; past it that client is disconnected with a phx_error.</summary>
    public int MaxQueuedMessages { get; init; } = 1_000;

    /// <summary>Largest frame a client may send.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;

    /// <summary>How long the replication slot stays after its last subscriber leaves (a reconnecting client keeps it).</summary>
    public TimeSpan SlotIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultSseRetention = TimeSpan.FromMinutes(5);

    /// <summary>How long committed changes are kept for change streams resuming with Last-Event-ID (0: not at all).</summary>
    public TimeSpan SseRetention { get; init; } = DefaultSseRetention;

    /// <summary>
    /// --database-replication-url: where the replication stream (and realtime's other unpooled sessions) connect,
    /// straight to PostgreSQL; null: --admin-database-url, else --database-url.
    /// </summary>
    public string? ReplicationUrl { get; init; }
}
