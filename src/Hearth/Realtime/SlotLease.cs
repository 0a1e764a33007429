using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Realtime;

/// <summary>
/// Marks this instance's replication slot as owned by a live Hearth: a session-level advisory lock keyed by the
/// slot's name, held on a direct connection of its own from before the slot is created until after it is
/// dropped. A Hearth that dies (kill -9, a crash) loses the session and with it the lock, so
/// <see cref="StaleSlotSweeper"/> can tell its slot from one a live instance streams from or reconnects to.
/// </summary>
public sealed class SlotLease(DirectConnection direct, ILogger<SlotLease> logger) : IAsyncDisposable
{
    /// <summary>The first key of pg_advisory_lock(int, int) for slot locks ("HRT1"); the second is hashtext(slot name).</summary>
    public const int LockClass = 0x48525431;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private NpgsqlConnection? _conn;

    /// <summary>Holds the lock (taking it again when its session was lost, e.g. PostgreSQL restarted).</summary>
    public async Task HoldAsync(string slot, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_conn is not null)
            {
                try
                {
                    await using var ping = new NpgsqlCommand("select 1", _conn);
                    await ping.ExecuteScalarAsync(ct);
                    return;
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
                {
                    await _conn.DisposeAsync();
                    _conn = null;
                }
            }
            var conn = await direct.OpenAsync("hearth realtime slot lock", ct);
            try
            {
                // Blocks only while a sweeper holds it for a moment (it found the slot idle and unlocked).
                await using var cmd = new NpgsqlCommand("select pg_advisory_lock($1, hashtext($2))", conn);
                cmd.Parameters.Add(new NpgsqlParameter { Value = LockClass });
                cmd.Parameters.Add(new NpgsqlParameter { Value = slot });
                await cmd.ExecuteNonQueryAsync(ct);
            }
            catch
            {
                await conn.DisposeAsync();
                throw;
            }
            _conn = conn;
            logger.LogDebug("Realtime: holding the lock of slot {Slot}", slot);
        }
        finally { _gate.Release(); }
    }

    /// <summary>After the slot is dropped: ending the session releases the lock.</summary>
    public async Task ReleaseAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_conn is not null) await _conn.DisposeAsync();
            _conn = null;
        }
        finally { _gate.Release(); }
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
