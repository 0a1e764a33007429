namespace Hearth.Realtime;

/// <summary>
/// [realtime] of a Supabase project's config.toml (enabled, and Hearth's max_connections, max_queued_messages);
/// nulls mean "not set there". ip_version and max_header_length configure Supabase's container: silently ignored.
/// </summary>
public sealed record RealtimeConfig(bool? Enabled = null, long? MaxConnections = null, long? MaxQueuedMessages = null)
{
    /// <summary>The file's settings where no flag (or HEARTH_* variable) was given.</summary>
    public RealtimeOptions ApplyTo(RealtimeOptions options, Func<string, bool> given) => options with
    {
        Enabled = !given("--realtime-disabled") && Enabled is { } e ? e : options.Enabled,
        MaxConnections = !given("--realtime-max-connections") && MaxConnections is { } c ? (int)Math.Clamp(c, 1, int.MaxValue) : options.MaxConnections,
        MaxQueuedMessages = !given("--realtime-max-queued-messages") && MaxQueuedMessages is { } q ? (int)Math.Clamp(q, 1, int.MaxValue) : options.MaxQueuedMessages,
    };
}
