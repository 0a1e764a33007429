using System.Reflection;
using Hearth.Migrations;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Supabase;

/// <summary>
/// What a Supabase project's database has before its first migration: the service roles, the extensions
/// schema (uuid-ossp, pgcrypto), auth (GoTrue's tables and helpers), storage (buckets, objects, path
/// helpers) and the supabase_realtime publication — SQL under Supabase/Baseline, embedded in the binary.
/// Embedded mode: always, before migrations; with --supabase also Supabase's default privileges in public.
/// With --database-url: only with --supabase, and each object only when it is missing, so a database
/// Supabase's own services created is left alone. Each part is recorded with its version in
/// hearth.baseline and runs again only when that version changes; every statement is idempotent anyway.
/// </summary>
public static class Baseline
{
    /// <summary>Bump when a baseline file changes, so existing databases get the change.</summary>
    private const int Version = 1;
    private const long AdvisoryLockKey = 0x686561727462;
    private const string Core = "core";
    private const string DefaultPrivileges = "default_privileges";
    /// <summary>The storage server's file bookkeeping (src/Hearth/Storage), a part of its own so existing databases get it.</summary>
    private const string StorageFiles = "storage_files";
    private static readonly string[] CoreFiles = ["01_roles", "02_extensions", "03_auth", "04_storage", "05_realtime"];

    /// <summary>Names of the baseline's own functions that read request.* (the request-context scan ignores them).</summary>
    public static readonly string[] RequestReadingFunctions = ["auth.jwt", "auth.uid", "auth.role", "auth.email"];

    public static async Task EnsureAsync(NpgsqlDataSource db, HearthOptions options, bool embedded, ILogger logger, CancellationToken ct)
    {
        var supabase = options.SupabaseDir is not null;
        if (!embedded && !supabase) return;
        var parts = new List<(string Name, string[] Files)> { (Core, CoreFiles), (StorageFiles, ["06_storage_files"]) };
        if (embedded && supabase) parts.Add((DefaultPrivileges, ["default_privileges"]));

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two Hearths starting against one database take turns; the second finds everything recorded.
        // The key is "hearb" in ASCII, written in decimal: hexadecimal literals need PostgreSQL 16.
        await Exec(conn, tx, $"select pg_advisory_xact_lock({AdvisoryLockKey})", ct);
        await Exec(conn, tx, """
            create schema if not exists hearth;
            create table if not exists hearth.baseline (part text primary key, version int not null, applied_at timestamptz not null default now());
            """, ct);
        foreach (var (name, files) in parts)
        {
            await using (var check = new NpgsqlCommand("select version from hearth.baseline where part = $1", conn, tx))
            {
                check.Parameters.Add(new NpgsqlParameter { Value = name });
                if (await check.ExecuteScalarAsync(ct) is int v && v == Version) continue;
            }
            foreach (var file in files) await ScriptRunner.RunAsync(conn, tx, $"baseline/{file}.sql", Read(file), ct);
            await using var record = new NpgsqlCommand("""
                insert into hearth.baseline (part, version) values ($1, $2)
                on conflict (part) do update set version = excluded.version, applied_at = now()
                """, conn, tx);
            record.Parameters.Add(new NpgsqlParameter { Value = name });
            record.Parameters.Add(new NpgsqlParameter { Value = Version });
            await record.ExecuteNonQueryAsync(ct);
            logger.LogInformation("Supabase baseline: {Part} v{Version} applied", name, Version);
        }
        await tx.CommitAsync(ct);
    }

    private static string Read(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"hearth.baseline.{file}.sql")
            ?? throw new InvalidOperationException($"Baseline file {file}.sql is not embedded in the binary.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
