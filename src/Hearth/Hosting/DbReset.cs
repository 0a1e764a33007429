using System.Diagnostics;
using Npgsql;

namespace Hearth.Hosting;

/// <summary>
/// `hearth db reset`: the database as a first start makes it — baseline, every migration, the seeds.
/// Embedded: the cluster is deleted (under the data dir's lock, so never under a running Hearth) and the
/// next start creates it from the template, as a brand-new data dir. External (--database-url, only with
/// --yes): public and every schema the URL's user owns are dropped, public is recreated empty, then the same startup runs.
/// The data dir's other state (its JWT secret) stays, so keys handed out before keep working.
/// </summary>
public static class DbReset
{
    public static async Task<int> RunAsync(HearthOptions options, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        if (options.DatabaseUrl is { } url) await DropSchemasAsync(url, ct);
        else DeleteCluster(DataDirLayout.For(options.DataDir));
        await MigrateRun.RunAsync(options, ct);
        Console.Out.WriteLine($"Finished hearth db reset in {watch.Elapsed.TotalSeconds:0.0} s.");
        return 0;
    }

    private static void DeleteCluster(DataDirLayout layout)
    {
        if (!Directory.Exists(layout.ClusterDir)) return;
        using var _ = DataDirLock.Acquire(layout.Root); // refuses while a Hearth serves this data dir
        var pidFile = Path.Combine(layout.ClusterDir, "postmaster.pid");
        if (!OperatingSystem.IsWindows() && File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid) && Posix.Signal(pid, 0))
            throw new HearthStartupException($"A PostgreSQL (pid {pid}) still runs on {layout.ClusterDir}, left by an earlier Hearth: start and stop Hearth once (or stop that process) before db reset.");
        Directory.Delete(layout.ClusterDir, recursive: true);
    }

    private static async Task DropSchemasAsync(string url, CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(Data.ConnectionStrings.FromUserInput(url));
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            do $$
            declare s text;
            begin
              for s in select nspname from pg_namespace
                       where (pg_get_userbyid(nspowner) = current_user or nspname = 'public')
                         and nspname not in ('pg_catalog', 'information_schema', 'pg_toast') and nspname not like 'pg\_temp\_%' and nspname not like 'pg\_toast\_temp\_%'
              loop
                execute format('drop schema %I cascade', s);
              end loop;
              if to_regnamespace('public') is null then
                create schema public;
                grant usage on schema public to public;
              end if;
            end
            $$
            """, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
