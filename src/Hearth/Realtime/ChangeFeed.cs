using Hearth.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;
using Npgsql.Replication;
using Npgsql.Replication.PgOutput;
using Npgsql.Replication.PgOutput.Messages;
using NpgsqlTypes;

namespace Hearth.Realtime;

/// <summary>
/// The change stream behind postgres_changes: logical replication of the <c>supabase_realtime</c> publication
/// with the built-in pgoutput plugin (Npgsql's replication API).
/// <para>Slot lifecycle. The slot is permanent (it survives a PostgreSQL restart, so no change committed while
/// the server restarts is lost) but exists only while someone subscribes: created when the first
/// postgres_changes binding joins, dropped <see cref="RealtimeOptions.SlotIdleTimeout"/> after the last one
/// leaves and when Hearth stops. Its name is per instance: <c>hearth_realtime</c> for the embedded cluster (one
/// Hearth per data dir; a slot left by a killed Hearth is dropped at the next start, its clients are gone),
/// <c>hearth_realtime_&lt;random&gt;</c> on an external database so two instances never share one; there the
/// instance holds its <see cref="SlotLease"/> while the slot exists and <see cref="StaleSlotSweeper"/> drops the
/// slots of instances that died. The stream connects to <see cref="DirectConnection"/> (--database-replication-url).
/// After a reconnect the server may resend transactions it already sent (it resumes from the last confirmed
/// flush); commits at or below the last one dispatched are skipped, so nothing is delivered twice.</para>
/// <para>A Hearth restart closes every socket; clients rejoin (realtime-js does so by itself) and receive what
/// is committed after they rejoined — as with Supabase, nothing replays what happened while they were away.</para>
/// </summary>
public sealed class ChangeFeed(RealtimeHub hub, ChangeDispatcher dispatcher, ChangeHistory history, NpgsqlDataSource admin, HearthOptions options, DirectConnection direct,
    SlotLease lease, StaleSlotSweeper sweeper, ILogger<ChangeFeed> logger)
    : IAsyncDisposable
{
    public const string Publication = "supabase_realtime";
    private readonly string _slot = options.DatabaseUrl is null ? "hearth_realtime" : "hearth_realtime_" + Guid.NewGuid().ToString("N")[..12];
    private readonly object _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private Task? _loop;
    private CancellationTokenSource? _stop;
    private TaskCompletionSource _ready = NewReady();
    private ulong _lastCommit;
    private Timer? _idle;
    private bool _slotCreated;

    /// <summary>Why postgres_changes cannot work on this database (null when it can).</summary>
    public string? Unavailable { get; private set; }

    public string SlotName => _slot;

    private static TaskCompletionSource NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// At startup: wal_level and the replication privilege (of the user the stream connects as); a slot left by an
    /// earlier embedded Hearth is dropped; with --database-url the sweeper starts looking for other instances' stale slots.
    /// </summary>
    public async Task CheckDatabaseAsync(CancellationToken ct)
    {
        hub.ChangesWantedChanged += OnWantedChanged;
        // Closed before the slot is dropped: holding it would keep a second connection open at every start.
        await using (var conn = await direct.OpenAsync("hearth realtime", ct))
        await using (var cmd = new NpgsqlCommand("""
            select current_setting('wal_level'), (select rolreplication or rolsuper from pg_roles where rolname = current_user),
                   exists(select 1 from pg_publication where pubname = $1)
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = Publication });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var walLevel = reader.GetString(0);
            var replication = reader.GetBoolean(1);
            var publication = reader.GetBoolean(2);
            Unavailable = walLevel != "logical" ? $"the database runs with wal_level={walLevel}; set wal_level=logical (a restart of PostgreSQL is needed)"
                : !replication ? $"the {direct.Source} user lacks the REPLICATION attribute (ALTER ROLE … WITH REPLICATION, or give --database-replication-url)"
                : !publication ? $"the publication {Publication} does not exist (create publication {Publication}; then alter publication {Publication} add table …)"
                : null;
        }
        if (Unavailable is not null) logger.LogWarning("Realtime postgres_changes is off: {Why}; the REST API, broadcast and presence work", Unavailable);
        if (!direct.External) await DropSlotAsync(ct);
        else if (Unavailable is null) _ = sweeper.RunAsync(_slot, _disposed.Token);
    }

    /// <summary>At join: the table exists (when one is named) and the filter's columns are its columns.</summary>
    public async Task CheckSubscriptionAsync(ChangeSubscription b, Subscriber who, CancellationToken ct)
    {
        if (b.Table is null or "*" && b.Filter is null) return;
        await using var conn = await admin.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p')
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = b.Schema });
        cmd.Parameters.Add(new NpgsqlParameter { Value = b.Table ?? "" });
        var columns = await cmd.ExecuteScalarAsync(ct) as string[];
        if (b.Table is not null and not "*" && columns is null)
            throw new RealtimeAuthException($"Unable to subscribe to changes with given parameters: table {b.Schema}.{b.Table} does not exist");
        if (columns is not null && b.Filter is not null && b.Filter.Columns.FirstOrDefault(c => !columns.Contains(c)) is { } bad)
            throw new RealtimeAuthException($"Unable to subscribe to changes with given parameters: column {bad} does not exist in {b.Schema}.{b.Table}");
    }

    /// <summary>Returns once the slot exists and is being read: a change committed after this reaches the subscriber.</summary>
    public async Task EnsureStreamingAsync(CancellationToken ct)
    {
        Task ready;
        lock (_lock)
        {
            _idle?.Dispose();
            _idle = null;
            if (_loop is null || _loop.IsCompleted)
            {
                _stop = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
                _ready = NewReady();
                _loop = Task.Run(() => RunAsync(_stop.Token));
            }
            ready = _ready.Task;
        }
        await ready.WaitAsync(TimeSpan.FromSeconds(15), ct);
    }

    private void OnWantedChanged(bool wanted)
    {
        if (wanted) return;
        lock (_lock)
        {
            _idle?.Dispose();
            _idle = new Timer(_ => _ = StopIfIdleAsync(), null, hub.Options.SlotIdleTimeout, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task StopIfIdleAsync()
    {
        Task? loop;
        lock (_lock)
        {
            if (hub.ChangeSubscriptions.Length > 0 || _loop is null) return;
            _stop?.Cancel();
            loop = _loop;
            _loop = null;
        }
        try { await loop; } catch { /* the loop logs its own failures */ }
        try { await DropSlotAsync(CancellationToken.None); }
        catch (Exception e) when (e is NpgsqlException or TimeoutException) { logger.LogWarning("Realtime: could not drop slot {Slot}: {Message}", _slot, e.Message); }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await StreamAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { break; }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or IOException or OperationCanceledException)
            {
                logger.LogWarning("Realtime: replication stream interrupted ({Message}); reconnecting", e.Message);
                lock (_lock) if (_ready.Task.IsCompleted) _ready = NewReady();
                try { await Task.Delay(delay, ct); } catch (OperationCanceledException) { break; }
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    private async Task StreamAsync(CancellationToken ct)
    {
        if (direct.External) await lease.HoldAsync(_slot, ct); // before the slot exists: a sweeper never takes it for stale
        await using var conn = new LogicalReplicationConnection(direct.ConnectionString("hearth realtime"));
        await conn.Open(ct);
        PgOutputReplicationSlot slot;
        try
        {
            slot = await conn.CreatePgOutputReplicationSlot(_slot, temporarySlot: false, slotSnapshotInitMode: LogicalSlotSnapshotInitMode.NoExport, cancellationToken: ct);
            if (_slotCreated)
                logger.LogWarning("Realtime: replication slot {Slot} was gone when the stream reconnected (dropped while this instance was cut off for long); changes committed meanwhile are not delivered", _slot);
            else logger.LogInformation("Realtime: replication slot {Slot} created", _slot);
            _slotCreated = true;
            history.Reset((ulong)slot.ConsistentPoint); // what was committed before the slot was never read
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            slot = new PgOutputReplicationSlot(_slot); // kept across a PostgreSQL restart: resume where it stopped
        }
        var relations = new Dictionary<uint, RelationInfo>();
        var pending = new List<RowChange>();
        DateTimeOffset commitTime = default;
        uint xid = 0;
        var messages = conn.StartReplication(slot, new PgOutputReplicationOptions(Publication, PgOutputProtocolVersion.V1), ct);
        lock (_lock) _ready.TrySetResult();
        await foreach (var message in messages)
        {
            switch (message)
            {
                case BeginMessage begin:
                    pending.Clear();
                    commitTime = new DateTimeOffset(DateTime.SpecifyKind(begin.TransactionCommitTimestamp, DateTimeKind.Utc));
                    xid = begin.TransactionXid;
                    break;
                case RelationMessage r:
                    relations[r.RelationId] = new RelationInfo(r.RelationId, r.Namespace, r.RelationName,
                        r.Columns.Select(c => new RelationColumn(c.ColumnName, c.DataTypeId, (c.Flags & RelationMessage.Column.ColumnFlags.PartOfKey) != 0)).ToList(),
                        r.ReplicaIdentity == RelationMessage.ReplicaIdentitySetting.AllColumns);
                    break;
                case InsertMessage insert:
                {
                    var (values, unchanged) = await ReadAsync(insert.NewRow, ct);
                    pending.Add(new RowChange(relations[insert.Relation.RelationId], "INSERT", values, unchanged, null, false));
                    break;
                }
                case UpdateMessage update:
                {
                    // The old tuple comes first on the wire: read it before the new one.
                    string?[]? old = null;
                    var full = false;
                    if (update is FullUpdateMessage f) { old = (await ReadAsync(f.OldRow, ct)).Values; full = true; }
                    else if (update is IndexUpdateMessage k) old = (await ReadAsync(k.Key, ct)).Values;
                    var (values, unchanged) = await ReadAsync(update.NewRow, ct);
                    pending.Add(new RowChange(relations[update.Relation.RelationId], "UPDATE", values, unchanged, old, full));
                    break;
                }
                case FullDeleteMessage delete:
                    pending.Add(new RowChange(relations[delete.Relation.RelationId], "DELETE", null, null, (await ReadAsync(delete.OldRow, ct)).Values, true));
                    break;
                case KeyDeleteMessage delete:
                    pending.Add(new RowChange(relations[delete.Relation.RelationId], "DELETE", null, null, (await ReadAsync(delete.Key, ct)).Values, false));
                    break;
                case CommitMessage commit:
                    var lsn = (ulong)commit.CommitLsn;
                    if (lsn > _lastCommit)
                    {
                        if (pending.Count > 0 && hub.ChangeSubscriptions.Length > 0) await WaitVisibleAsync(xid, ct);
                        // Kept for change streams that resume (Last-Event-ID), before any subscriber sees them.
                        for (var i = 0; i < pending.Count; i++) history.Add(new ChangePosition((ulong)commit.TransactionEndLsn, (uint)i), pending[i], commitTime);
                        for (var i = 0; i < pending.Count; i++)
                        {
                            var change = pending[i];
                            try { await dispatcher.DispatchAsync(change, commitTime, new ChangePosition((ulong)commit.TransactionEndLsn, (uint)i), ct); }
                            // A lost connection ends the stream (the transaction comes again after the reconnect); anything else
                            // about one change (a SQL error converting it, …) must not stop the others.
                            catch (Exception e) when (e is not (OperationCanceledException or NpgsqlException) || e is PostgresException)
                            {
                                logger.LogWarning("Realtime: a {Kind} on {Schema}.{Table} could not be delivered: {Message}", change.Kind, change.Relation.Schema, change.Relation.Table, e.Message);
                            }
                        }
                        _lastCommit = lsn;
                    }
                    pending.Clear();
                    // Confirmed only once handed to the subscribers' queues: the server keeps it until then.
                    conn.SetReplicationStatus(commit.TransactionEndLsn);
                    break;
            }
        }
    }

    /// <summary>
    /// The stream may deliver a commit a moment before the committing session is gone from PostgreSQL's list of
    /// running transactions; a snapshot taken then does not see it yet. Row security checks and change streams
    /// read the row, so wait (a few milliseconds at most) until a new snapshot sees the transaction.
    /// </summary>
    private async Task WaitVisibleAsync(uint xid, CancellationToken ct)
    {
        if (xid == 0) return;
        await using var conn = await admin.OpenConnectionAsync(ct);
        // The stream gives the 32-bit xid: widen it with the current epoch (the one before, across a wraparound).
        await using var cmd = new NpgsqlCommand("""
            with s as (select pg_current_snapshot() as s), x as (select s, pg_snapshot_xmax(s)::text::bigint as xmax from s)
            select pg_visible_in_snapshot((case when ((xmax >> 32) << 32 | $1) > xmax + 2147483648 then ((xmax >> 32) - 1) << 32 | $1
                                               else (xmax >> 32) << 32 | $1 end)::text::xid8, s) from x
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (long)xid });
        for (var attempt = 0; attempt < 200 && await cmd.ExecuteScalarAsync(ct) is false; attempt++) await Task.Delay(1, ct);
    }

    private static async Task<(string?[] Values, bool[] Unchanged)> ReadAsync(ReplicationTuple tuple, CancellationToken ct)
    {
        var values = new string?[tuple.NumColumns];
        var unchanged = new bool[tuple.NumColumns];
        var i = 0;
        await foreach (var value in tuple)
        {
            if (value.IsUnchangedToastedValue) unchanged[i] = true;
            else if (!value.IsDBNull) values[i] = await value.Get<string>(ct);
            i++;
        }
        return (values, unchanged);
    }

    private async Task DropSlotAsync(CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using (var conn = await direct.OpenAsync("hearth realtime", ct))
                {
                    await using var cmd = new NpgsqlCommand("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = $1", conn);
                    cmd.Parameters.Add(new NpgsqlParameter { Value = _slot });
                    if (await cmd.ExecuteScalarAsync(ct) is not null) logger.LogInformation("Realtime: replication slot {Slot} dropped", _slot);
                }
                _slotCreated = false;
                await lease.ReleaseAsync(); // only once the slot is gone
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 50)
            {
                await Task.Delay(100, ct); // the walsender of the stream just stopped is still exiting
            }
        }
    }

    /// <summary>On shutdown: stop reading and drop the slot, so no WAL is kept for nobody.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_lock)
        {
            _idle?.Dispose();
            loop = _loop;
            _loop = null;
        }
        await _disposed.CancelAsync();
        if (loop is null) return;
        try { await loop; } catch { /* logged by the loop */ }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DropSlotAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            logger.LogWarning("Realtime: could not drop slot {Slot} at shutdown: {Message}", _slot, e.Message);
        }
    }
}
