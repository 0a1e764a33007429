using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Migrations;

/// <summary>
/// Seeds (Supabase's seed.sql, --seed FILE): data for a brand-new database, run once right after its first
/// migrations. "Brand new" is remembered by hearth.seeds_pending, created with hearth.schema_migrations;
/// the seeds run in one transaction that also records them in hearth.seeds and drops the marker, so a
/// failing seed is retried on the next start and a successful one never runs again.
/// </summary>
public static class SeedRunner
{
    /// <summary>Marks a brand-new database's seeds as pending; sent with the migrations table's creation.</summary>
    public const string PendingSql = """
        create table if not exists hearth.seeds (name text primary key, checksum text not null, applied_at timestamptz not null default now());
        create table if not exists hearth.seeds_pending ();
        """;

    public static async Task RunIfPendingAsync(NpgsqlConnection conn, IReadOnlyList<string> seedFiles, ILogger logger, CancellationToken ct)
    {
        await using (var check = new NpgsqlCommand("select to_regclass('hearth.seeds_pending') is not null", conn))
            if (!(bool)(await check.ExecuteScalarAsync(ct))!) return;
        if (seedFiles.Count == 0) return; // still pending: a later start with seed files seeds the database
        var files = seedFiles.Select(Read).ToList();
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            foreach (var (name, sql, checksum) in files)
            {
                await ScriptRunner.RunAsync(conn, tx, name, sql, ct);
                await using var record = new NpgsqlCommand("insert into hearth.seeds (name, checksum) values ($1, $2) on conflict (name) do nothing", conn, tx);
                record.Parameters.Add(new NpgsqlParameter { Value = name });
                record.Parameters.Add(new NpgsqlParameter { Value = checksum });
                await record.ExecuteNonQueryAsync(ct);
            }
            await using (var done = new NpgsqlCommand("drop table hearth.seeds_pending", conn, tx)) await done.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (MigrationException e)
        {
            await tx.RollbackAsync(CancellationToken.None);
            throw new MigrationException($"Seed {e.Message} The seeds were rolled back and run again on the next start.", e.InnerException);
        }
        catch (PostgresException e)
        {
            // Past the statements: a record or the commit (a deferred constraint) failed.
            throw new MigrationException($"Seeds failed at commit: {e.MessageText} [SQLSTATE {e.SqlState}]. The seeds were rolled back and run again on the next start.", e);
        }
        foreach (var (name, _, _) in files) logger.LogInformation("Applied seed {Name}", name);
    }

    private static (string Name, string Sql, string Checksum) Read(string path)
    {
        try
        {
            var bytes = File.ReadAllBytes(path);
            return (Path.GetFileName(path), System.Text.Encoding.UTF8.GetString(bytes), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException($"Seed file '{path}' cannot be read: {e.Message}");
        }
    }
}
