using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Migrations;

/// <summary>
/// Applies the migrations folder: files in lexical order, each in its own transaction, recorded in
/// hearth.schema_migrations (name, checksum, time). An advisory lock keeps two processes from migrating
/// at once; an applied file that changed stops everything before anything runs. A file's own BEGIN/COMMIT
/// are dropped (<see cref="ScriptRunner"/>), so the file and its record commit together or not at all.
/// Seed files (<see cref="HearthOptions.SeedFiles"/>) run once, after the migrations of a brand-new database.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource db, ILogger<MigrationRunner> logger, HearthOptions? options = null)
{
    // Arbitrary but fixed: "hearth" in ASCII, so other tools' advisory locks are unlikely to collide.
    private const long AdvisoryLockKey = 0x686561727468;

    /// <param name="reportEdited">
    /// `serve --watch`: an applied file that changed is reported here and skipped, instead of stopping
    /// everything (a development loop keeps going; startup and `migrate` stay strict).
    /// </param>
    public async Task<int> ApplyAsync(string? folder, CancellationToken ct, Action<string>? reportEdited = null)
    {
        var seeds = options?.SeedFiles ?? [];
        if (folder is null && seeds.Count == 0) return 0;
        var files = folder is null ? [] : MigrationFile.ReadFolder(folder);
        await using var conn = await db.OpenConnectionAsync(ct);
        await ExecAsync(conn, $"select pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            // A database whose migrations table does not exist yet is brand new: its seeds are pending.
            var brandNew = await ScalarAsync<bool>(conn, "select to_regclass('hearth.schema_migrations') is null", ct);
            // One command text, so one implicit transaction: a crash cannot leave the migrations table
            // without the seeds' pending mark (the seeds would then never run).
            await ExecAsync(conn, """
                create schema if not exists hearth;
                create table if not exists hearth.schema_migrations (
                  name text primary key,
                  checksum text not null,
                  applied_at timestamptz not null default now()
                );
                """ + (brandNew ? SeedRunner.PendingSql : ""), ct);
            var applied = await ReadAppliedAsync(conn, ct);
            foreach (var file in files)
                if (applied.TryGetValue(file.Name, out var checksum) && checksum != file.Checksum)
                {
                    var message = $"Migration '{file.Name}' was changed after it was applied (checksum {checksum[..12]}… is now {file.Checksum[..12]}…). " +
                        "Applied migrations must not be edited: restore the file and put the change in a new migration.";
                    if (reportEdited is null) throw new MigrationException(message);
                    reportEdited(message);
                }

            var count = 0;
            foreach (var file in files.Where(f => !applied.ContainsKey(f.Name)))
            {
                await ApplyOneAsync(conn, file, ct);
                logger.LogInformation("Applied migration {Name}", file.Name);
                count++;
            }
            await SeedRunner.RunIfPendingAsync(conn, seeds, logger, ct);
            return count;
        }
        finally
        {
            await ExecAsync(conn, $"select pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    private static async Task ApplyOneAsync(NpgsqlConnection conn, MigrationFile file, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            await ScriptRunner.RunAsync(conn, tx, file.Name, file.Sql, ct);
            await using (var record = new NpgsqlCommand("insert into hearth.schema_migrations (name, checksum) values ($1, $2)", conn, tx))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = file.Name });
                record.Parameters.Add(new NpgsqlParameter { Value = file.Checksum });
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        catch (MigrationException e)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new MigrationException($"Migration {e.Message} The file was rolled back; the migrations before it stay applied.", e.InnerException);
        }
        catch (PostgresException e)
        {
            // Past its statements: the record or the commit (a deferred constraint) failed. Still name the file.
            throw new MigrationException($"Migration {file.Name} failed at commit: {e.MessageText} [SQLSTATE {e.SqlState}]. " +
                "The file was rolled back; the migrations before it stay applied.", e);
        }
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("select name, checksum from hearth.schema_migrations", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
