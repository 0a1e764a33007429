using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Migrations;

/// <summary>
/// Applies the migrations folder: files in lexical order, each in its own transaction, recorded in
/// hearth.schema_migrations (name, checksum, time). An advisory lock keeps two processes from migrating
/// at once; an applied file that changed stops everything before anything runs.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource db, ILogger<MigrationRunner> logger)
{
    // Arbitrary but fixed: "hearth" in ASCII, so other tools' advisory locks are unlikely to collide.
    private const long AdvisoryLockKey = 0x686561727468;

    public async Task<int> ApplyAsync(string? folder, CancellationToken ct)
    {
        if (folder is null) return 0;
        var files = MigrationFile.ReadFolder(folder);
        await using var conn = await db.OpenConnectionAsync(ct);
        await ExecAsync(conn, $"select pg_advisory_lock({AdvisoryLockKey})", ct);
        try
        {
            await ExecAsync(conn, """
                create schema if not exists hearth;
                create table if not exists hearth.schema_migrations (
                  name text primary key,
                  checksum text not null,
                  applied_at timestamptz not null default now()
                );
                """, ct);
            var applied = await ReadAppliedAsync(conn, ct);
            foreach (var file in files)
                if (applied.TryGetValue(file.Name, out var checksum) && checksum != file.Checksum)
                    throw new MigrationException(
                        $"Migration '{file.Name}' was changed after it was applied (checksum {checksum[..12]}… is now {file.Checksum[..12]}…). " +
                        "Applied migrations must not be edited: restore the file and put the change in a new migration.");

            var count = 0;
            foreach (var file in files.Where(f => !applied.ContainsKey(f.Name)))
            {
                await ApplyOneAsync(conn, file, ct);
                logger.LogInformation("Applied migration {Name}", file.Name);
                count++;
            }
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
            await using (var cmd = new NpgsqlCommand(file.Sql, conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
            await using (var record = new NpgsqlCommand("insert into hearth.schema_migrations (name, checksum) values ($1, $2)", conn, tx))
            {
                record.Parameters.Add(new NpgsqlParameter { Value = file.Name });
                record.Parameters.Add(new NpgsqlParameter { Value = file.Checksum });
                await record.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
        }
        catch (PostgresException e)
        {
            await tx.RollbackAsync(CancellationToken.None);
            var extra = string.Concat(
                e.Detail is { Length: > 0 } d ? $" Detail: {d}" : "",
                e.Hint is { Length: > 0 } h ? $" Hint: {h}" : "",
                LineOf(file.Sql, e) is { } line ? $" (near line {line})" : "");
            throw new MigrationException($"Migration '{file.Name}' failed and was rolled back: {e.MessageText} [SQLSTATE {e.SqlState}].{extra}", e);
        }
    }

    /// <summary>PostgreSQL reports a character position within the failing statement; map it to a line when it is usable.</summary>
    private static int? LineOf(string sql, PostgresException e)
    {
        if (e.Position <= 0 || e.BatchCommand?.CommandText is not { } statement) return null;
        var start = sql.IndexOf(statement, StringComparison.Ordinal);
        if (start < 0) return null;
        var offset = Math.Min(sql.Length, start + e.Position - 1);
        return sql.AsSpan(0, offset).Count('\n') + 1;
    }

    private static async Task<Dictionary<string, string>> ReadAppliedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("select name, checksum from hearth.schema_migrations", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) applied[reader.GetString(0)] = reader.GetString(1);
        return applied;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
