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
        await using var cmd = admin.CreateCommand("select to_regclass('storage.objects') is not null and to_regclass('hearth.storage_garbage') is not null");
        _present = await cmd.ExecuteScalarAsync(ct) is true;
        return _present;
    }
}
