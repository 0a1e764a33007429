using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// /storage/v1 is served whenever the database has the Supabase baseline's storage tables and Hearth's file
/// bookkeeping (embedded mode always; --database-url with --supabase). Checked lazily; once present, always.
/// </summary>
public sealed class StorageAvailability(NpgsqlDataSource admin, TimeProvider time)
{
    private volatile bool _present;
    private long _nextCheck;

    public async ValueTask<bool> IsAvailableAsync(CancellationToken ct)
    {
        if (_present) return true;
        var now = time.GetTimestamp();
        if (now < Interlocked.Read(ref _nextCheck)) return false;
        Interlocked.Exchange(ref _nextCheck, now + time.TimestampFrequency * 5);
        // From the catalogue, with the schema privilege: to_regclass itself fails (42501) where the user may not look into the schema,
        // and a user that cannot use the storage tables cannot serve them either (least-privilege --database-url without an owner URL).
        await using var cmd = admin.CreateCommand("""
            select exists(select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                          where n.nspname = 'storage' and c.relname = 'objects' and has_schema_privilege(n.oid, 'USAGE'))
               and exists(select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                          where n.nspname = 'hearth' and c.relname = 'storage_garbage' and has_schema_privilege(n.oid, 'USAGE'))
            """);
        _present = await cmd.ExecuteScalarAsync(ct) is true;
        return _present;
    }
}
