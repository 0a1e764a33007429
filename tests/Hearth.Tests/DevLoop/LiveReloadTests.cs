using System.Net;
using System.Text.RegularExpressions;
using Hearth.Tests.Hosting;
using Hearth.Tests.Infrastructure;
using Npgsql;

namespace Hearth.Tests.DevLoop;

/// <summary>
/// Live schema reload as PostgREST has it (NOTIFY on --db-channel, SIGUSR1/SIGUSR2) plus Hearth's own:
/// embedded mode reloads by itself after DDL, and a reload never fails a request.
/// </summary>
public partial class LiveReloadTests
{
    private static int Loads(HearthProcess hearth) => LoadedLine().Matches(hearth.Stderr).Count;

    private static Task WaitForStatusAsync(HttpClient http, string path, HttpStatusCode status, TimeSpan? timeout = null) =>
        SupervisionTests.WaitForAsync(async () => (await http.GetAsync(path)).StatusCode == status, timeout ?? TimeSpan.FromSeconds(15));

    /// <summary>DDL the event trigger does not see: session_replication_role = replica switches event triggers off.</summary>
    private static Task UnnoticedDdlAsync(string dataDir, string sql) =>
        Db.ExecAsync(Db.ConnectionString(dataDir), "set session_replication_role = replica; " + sql);

    [Test]
    public async Task Ddl_is_served_without_a_restart_and_a_burst_of_statements_reloads_once()
    {
        using var dir = new TempDir("ddl-reload");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await SupervisionTests.WaitForAsync(() => Task.FromResult(hearth.Stderr.Contains("Listening for schema reloads on channel pgrst")), TimeSpan.FromSeconds(10));
        var before = Loads(hearth);

        // Ten transactions (so ten notifications), sent in one batch: back to back however loaded the machine.
        await Db.ExecAsync(Db.ConnectionString(data), string.Concat(Enumerable.Range(0, 10).Select(i =>
            $"begin; create table burst_{i} (id int primary key); grant select on burst_{i} to anon; commit; ")));
        await WaitForStatusAsync(http, "burst_9", HttpStatusCode.OK);
        await Task.Delay(1500); // any reload still to come
        var reloads = Loads(hearth) - before;
        await Assert.That(reloads).IsGreaterThanOrEqualTo(1);
        await Assert.That(reloads).IsLessThanOrEqualTo(3); // coalesced: far fewer than ten

        // Temporary tables are not the API's business: no reload.
        var settled = Loads(hearth);
        await Db.ExecAsync(Db.ConnectionString(data), "create temp table scratch (x int)");
        await Task.Delay(1000);
        await Assert.That(Loads(hearth)).IsEqualTo(settled);
    }

    [Test]
    public async Task Notify_reload_schema_and_reload_config_on_the_configured_channel()
    {
        using var dir = new TempDir("notify");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data, extraArgs: ["--db-channel", "my channel"]);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await SupervisionTests.WaitForAsync(() => Task.FromResult(hearth.Stderr.Contains("Listening for schema reloads on channel my channel")), TimeSpan.FromSeconds(10));

        await UnnoticedDdlAsync(data, "create table quiet (id int); grant select on quiet to anon");
        await Task.Delay(800);
        await Assert.That((await http.GetAsync("quiet")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'"); // not our channel
        await Task.Delay(800);
        await Assert.That((await http.GetAsync("quiet")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);

        await Db.ExecAsync(Db.ConnectionString(data), "notify \"my channel\", 'reload schema'");
        await WaitForStatusAsync(http, "quiet", HttpStatusCode.OK);

        // 'reload config' reloads what Hearth configures from the database: role settings come with the cache.
        await UnnoticedDdlAsync(data, "create table quiet2 (id int); grant select on quiet2 to anon");
        await Db.ExecAsync(Db.ConnectionString(data), "select pg_notify('my channel', 'reload config')");
        await WaitForStatusAsync(http, "quiet2", HttpStatusCode.OK);
        await Assert.That(hearth.Stderr).Contains("NOTIFY my channel 'reload config'");
    }

    [Test]
    public async Task With_the_channel_disabled_ddl_waits_for_sigusr2()
    {
        using var dir = new TempDir("no-channel");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data, extraArgs: ["--db-channel-enabled", "false"]);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await Db.ExecAsync(Db.ConnectionString(data), "create table later (id int); grant select on later to anon");
        await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'");
        await Task.Delay(1000);
        await Assert.That((await http.GetAsync("later")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from pg_event_trigger where evtname like 'hearth%'")).IsEqualTo(0L);

        hearth.Signal(Signals.SigUsr2); // PostgREST's "reload config": in Hearth it reloads the cache too
        await WaitForStatusAsync(http, "later", HttpStatusCode.OK);
        await Assert.That(hearth.Stderr).Contains("SIGUSR2 received: reloading the configuration");
    }

    [Test]
    public async Task Reloads_under_load_fail_no_request()
    {
        using var dir = new TempDir("reload-load");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data, RepoPaths.Fixture("migrations"));
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        var before = Loads(hearth);
        using var stop = new CancellationTokenSource();
        var failures = new List<string>();
        var served = 0;
        var clients = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var paths = new[] { "authors?select=id,name", "books?select=title,authors(name)", "authors?id=eq.2", "whoami" };
            while (!stop.IsCancellationRequested)
            {
                var response = await http.GetAsync(paths[i % paths.Length]);
                Interlocked.Increment(ref served);
                if (response.StatusCode == HttpStatusCode.OK) continue;
                var failure = $"{paths[i % paths.Length]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                lock (failures) failures.Add(failure);
            }
        })).ToList();

        // Schema changes while requests run: each one reloads (the trigger), plus explicit NOTIFYs and signals.
        for (var i = 0; i < 6; i++)
        {
            await Db.ExecAsync(Db.ConnectionString(data), $"alter table authors add column extra_{i} int; create table added_{i} (id int); grant select on added_{i} to anon");
            await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'");
            if (i % 2 == 0) hearth.Signal(Signals.SigUsr1);
            await Task.Delay(400);
        }
        await WaitForStatusAsync(http, "added_5", HttpStatusCode.OK);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        await Assert.That(failures).IsEmpty();
        await Assert.That(served).IsGreaterThan(20);
        await Assert.That(Loads(hearth) - before).IsGreaterThanOrEqualTo(3);
    }

    [Test]
    public async Task A_failed_reload_keeps_the_previous_cache_and_logs_why()
    {
        using var dir = new TempDir("reload-fail");
        var data = dir.Combine("data");
        // One API connection, and a short wait for it: a reload reads the API roles over that pool.
        await using var hearth = await HearthProcess.ServeAsync(data, RepoPaths.Fixture("migrations"),
            ["--db-pool", "1", "--db-pool-acquisition-timeout", "1"]);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        // A view that waits while the test holds an advisory lock: a request on it keeps the only API connection.
        await Db.ExecAsync(Db.ConnectionString(data),
            "create view gated as select 'done'::text as result from (select pg_advisory_xact_lock_shared(4242)) g; grant select on gated to anon");
        await SupervisionTests.WaitForAsync(() => Task.FromResult(Loads(hearth) >= 2), TimeSpan.FromSeconds(30)); // the view is in the cache

        await using var gate = new NpgsqlConnection(Db.ConnectionString(data));
        await gate.OpenAsync();
        await using (var take = new NpgsqlCommand("select pg_advisory_lock(4242)", gate)) await take.ExecuteNonQueryAsync();
        var gated = http.GetAsync("gated");
        await SupervisionTests.WaitForAsync(async () => await Db.ScalarAsync<long>(Db.ConnectionString(data),
            "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory'") > 0, TimeSpan.FromSeconds(30));
        await UnnoticedDdlAsync(data, "create table hidden (id int); grant select on hidden to anon");
        await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'");
        await SupervisionTests.WaitForAsync(() => Task.FromResult(hearth.Stderr.Contains("Schema cache reload failed")), TimeSpan.FromSeconds(30));
        await using (var release = new NpgsqlCommand("select pg_advisory_unlock(4242)", gate)) await release.ExecuteNonQueryAsync();
        await Assert.That((await gated).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // The previous cache still serves; the failed one never replaced it.
        await Assert.That((await http.GetAsync("authors")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await http.GetAsync("hidden")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        var line = hearth.Stderr.Split('\n').Single(l => l.Contains("Schema cache reload failed"));
        await Assert.That(line).Contains("previous schema cache stays in use");

        await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'");
        await WaitForStatusAsync(http, "hidden", HttpStatusCode.OK);
    }

    [Test]
    public async Task With_database_url_the_listener_reconnects_after_the_database_restarts()
    {
        using var dir = new TempDir("listen-ext");
        var data = dir.Combine("data");
        await using var database = await HearthProcess.ServeAsync(data);
        var url = $"postgresql://postgres@/postgres?host={Uri.EscapeDataString(Path.Combine(data, "run"))}";
        await using var api = await HearthProcess.ServeAsync(dir.Combine("unused"), extraArgs: ["--database-url", url]);
        using var http = new HttpClient { BaseAddress = api.BaseUrl };
        await SupervisionTests.WaitForAsync(() => Task.FromResult(api.Stderr.Contains("Listening for schema reloads")), TimeSpan.FromSeconds(10));
        await UnnoticedDdlAsync(data, "create table before_restart (id int); grant select on before_restart to anon");
        await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'");
        await WaitForStatusAsync(http, "before_restart", HttpStatusCode.OK);

        Signals.Send(PostgresProcesses.PostmasterPid(data)!.Value, Signals.SigKill); // the first Hearth restarts it
        await SupervisionTests.WaitForAsync(() => Task.FromResult(api.Stderr.Contains("Listening on channel pgrst again")), TimeSpan.FromSeconds(60));

        await UnnoticedDdlAsync(data, "create table after_restart (id int); grant select on after_restart to anon");
        await Db.ExecAsync(Db.ConnectionString(data), "notify pgrst, 'reload schema'");
        try { await WaitForStatusAsync(http, "after_restart", HttpStatusCode.OK, TimeSpan.FromSeconds(30)); }
        catch (TimeoutException) { throw new TimeoutException(api.Stderr); }
        await Assert.That(api.Stderr).Contains("Lost the connection listening on channel pgrst");
    }

    [GeneratedRegex("Schema cache loaded: ")]
    private static partial Regex LoadedLine();
}
