using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Realtime;

/// <summary>
/// Drops the <c>hearth_realtime_*</c> slots of Hearth instances that died without dropping their own (kill -9, a
/// crash, a lost host), which would otherwise keep WAL on the server forever. A slot is stale only when, twice
/// and <see cref="Grace"/> apart, it is not being streamed from and nobody holds its <see cref="SlotLease"/>
/// lock; the second time the sweeper takes that lock itself while it drops the slot, so the owner, were it
/// alive and reconnecting, waits and then creates a new slot. The grace covers a live instance that lost its
/// sessions (PostgreSQL restarted) and has not yet taken its lock again. Runs with --database-url only: at
/// start and every <see cref="Interval"/>.
/// </summary>
public sealed class StaleSlotSweeper(DirectConnection direct, ILogger<StaleSlotSweeper> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    public async Task RunAsync(string ownSlot, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await SweepAsync(ownSlot, ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                logger.LogWarning("Realtime: could not look for stale replication slots ({Message}); trying again later", e.Message.Split('\n', 2)[0]);
            }
            try { await Task.Delay(Interval, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass: the idle, unlocked slots now, and again after the grace period; those are dropped.</summary>
    public async Task SweepAsync(string ownSlot, CancellationToken ct)
    {
        var candidates = await IdleUnlockedAsync(ownSlot, drop: false, ct);
        if (candidates.Count == 0) return;
        await Task.Delay(Grace, ct);
        await IdleUnlockedAsync(ownSlot, drop: true, ct, candidates);
    }

    private async Task<List<string>> IdleUnlockedAsync(string ownSlot, bool drop, CancellationToken ct, List<string>? only = null)
    {
        await using var conn = await direct.OpenAsync("hearth realtime slot sweeper", ct);
        var idle = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select slot_name::text from pg_replication_slots
            where slot_type = 'logical' and database = current_database() and not active
              and slot_name like 'hearth\_realtime\_%' and slot_name <> $1
            """, conn))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = ownSlot });
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (only is null || only.Contains(reader.GetString(0))) idle.Add(reader.GetString(0));
        }
        var stale = new List<string>();
        foreach (var slot in idle)
        {
            if (!await LockAsync(conn, "pg_try_advisory_lock", slot, ct)) continue; // a live instance holds it
            try
            {
                if (!drop) { stale.Add(slot); continue; }
                await using var cmd = new NpgsqlCommand("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1 and not active", conn);
                cmd.Parameters.Add(new NpgsqlParameter { Value = slot });
                if (await cmd.ExecuteScalarAsync(ct) is not null)
                {
                    logger.LogWarning("Realtime: dropped replication slot {Slot}, left by a Hearth instance that is gone", slot);
                    stale.Add(slot);
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse || e.SqlState == PostgresErrorCodes.UndefinedObject)
            {
                // Taken up again (or dropped by another sweeper) meanwhile: not stale.
            }
            finally { await LockAsync(conn, "pg_advisory_unlock", slot, ct); }
        }
        return stale;
    }

    private static async Task<bool> LockAsync(NpgsqlConnection conn, string function, string slot, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"select {function}($1, hashtext($2))", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = SlotLease.LockClass });
        cmd.Parameters.Add(new NpgsqlParameter { Value = slot });
        return await cmd.ExecuteScalarAsync(ct) is true;
    }
}
