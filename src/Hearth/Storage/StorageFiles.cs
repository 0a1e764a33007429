using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Storage;

/// <summary>
/// Keeps files and rows in step. The baseline's trigger queues each version a committed transaction stopped
/// referencing in hearth.storage_garbage; <see cref="CollectAsync"/> deletes those files (after commit, so a
/// rollback never loses bytes). At startup <see cref="StartupAsync"/> also removes unfinished writes and files
/// no row references (a crash between a file's rename and its row's commit). Runs on the admin connections:
/// it is Hearth's own bookkeeping, not a client's request.
/// </summary>
public sealed class StorageFiles(NpgsqlDataSource admin, IObjectStore store, ILogger<StorageFiles> logger)
{
    public async Task CollectAsync(CancellationToken ct)
    {
        try
        {
            await using var cmd = admin.CreateCommand("delete from hearth.storage_garbage returning version");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) store.Delete(r.GetString(0));
        }
        catch (Exception e) when (e is NpgsqlException or IOException)
        {
            // The queue keeps what was not collected; the next operation or start retries.
            logger.LogWarning("Storage: could not delete replaced files yet: {Message}", e.Message);
        }
    }

    /// <param name="olderThan">Files changed after this may belong to another instance's upload in progress (shared folder).</param>
    public async Task StartupAsync(DateTime olderThan, CancellationToken ct)
    {
        await CollectAsync(ct);
        var removed = await store.SweepAsync(async versions =>
        {
            await using var cmd = admin.CreateCommand("select version from storage.objects where version = any($1)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = versions.ToArray() });
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) referenced.Add(r.GetString(0));
            return referenced;
        }, olderThan, ct);
        if (removed > 0) logger.LogInformation("Storage: removed {Count} unfinished or unreferenced files", removed);
    }
}
