using System.Net;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>--database-url: no embedded server, everything else the same. The "external" server is another Hearth's PostgreSQL.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class ExternalDatabaseTests(SharedHearth shared)
{
    private async Task<(string Name, string Url)> NewDatabaseAsync()
    {
        var name = "ext_" + Guid.NewGuid().ToString("N")[..10];
        await Db.ExecAsync(shared.SuperuserConnectionString(), $"create database {name}");
        return (name, $"postgresql://postgres@/{name}?host={Uri.EscapeDataString(Path.Combine(shared.DataDir, "run"))}");
    }

    [Test]
    public async Task Serve_with_database_url_uses_that_database_and_starts_no_postgres()
    {
        var (_, url) = await NewDatabaseAsync();
        using var work = new TempDir("ext");
        var hearth = HearthProcess.Start(["serve", "--port", "0", "--database-url", url, "--migrations", RepoPaths.Fixture("migrations")], workingDir: work.Path);
        await using var _ = hearth;
        await hearth.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await Assert.That(await http.GetStringAsync("authors")).Contains("Stanisław Lem");
        await Assert.That(Directory.Exists(Path.Combine(work.Path, "hearth-data"))).IsFalse();
    }

    [Test]
    public async Task Two_concurrent_migrate_runs_apply_each_file_once()
    {
        var (name, url) = await NewDatabaseAsync();
        using var dir = new TempDir("lock");
        var migrations = dir.Combine("migrations");
        Directory.CreateDirectory(migrations);
        // Not idempotent on purpose: a second application would fail on the duplicate key.
        File.WriteAllText(Path.Combine(migrations, "001.sql"), "create table once (id int primary key); select pg_sleep(1); insert into once values (1);");
        var runs = await Task.WhenAll(
            HearthProcess.RunAsync(["migrate", "--database-url", url, "--migrations", migrations]),
            HearthProcess.RunAsync(["migrate", "--database-url", url, "--migrations", migrations]));
        await Assert.That(runs.Select(r => r.ExitCode)).IsEquivalentTo([0, 0]);
        var db = shared.SuperuserConnectionString(name);
        await Assert.That(await Db.ScalarAsync<long>(db, "select count(*) from hearth.schema_migrations")).IsEqualTo(1L);
    }

    [Test]
    public async Task Ready_turns_503_when_the_database_goes_away_while_live_stays_200()
    {
        using var dir = new TempDir("ready");
        var data = dir.Combine("data");
        var database = await HearthProcess.ServeAsync(data, RepoPaths.Fixture("migrations"));
        var url = $"postgresql://postgres@/postgres?host={Uri.EscapeDataString(Path.Combine(data, "run"))}";
        await using var api = await HearthProcess.ServeAsync(dir.Combine("unused"), extraArgs: ["--database-url", url]);
        using var http = new HttpClient { BaseAddress = api.BaseUrl };
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);

        await database.StopAsync();
        await database.DisposeAsync();
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        await Assert.That((await http.GetAsync("live")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        var table = await http.GetAsync("authors");
        await Assert.That((int)table.StatusCode).IsEqualTo(503);
    }

    [Test]
    public async Task With_database_url_the_pool_is_PostgREST_default_of_ten_connections()
    {
        var (name, url) = await NewDatabaseAsync();
        var hearth = HearthProcess.Start(["serve", "--port", "0", "--database-url", url, "--migrations", RepoPaths.Fixture("pool_migrations")]);
        await using var _ = hearth;
        await hearth.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        // 30 concurrent slow calls: with Npgsql's default of 100 Hearth would open 30 connections.
        var calls = Task.WhenAll(Enumerable.Range(0, 30).Select(_ => http.GetAsync("rpc/slow?seconds=0.3")));
        var most = 0L;
        while (!calls.IsCompleted)
        {
            most = Math.Max(most, await Db.ScalarAsync<long>(shared.SuperuserConnectionString(),
                $"select count(*) from pg_stat_activity where datname = '{name}' and application_name = 'hearth'"));
            await Task.Delay(20);
        }
        using var __ = Assert.Multiple();
        foreach (var r in await calls) await Assert.That((int)r.StatusCode).IsEqualTo(200);
        // Ten API connections, and at most the three of the admin pool beside them.
        await Assert.That(most).IsGreaterThanOrEqualTo(10).And.IsLessThanOrEqualTo(10 + global::Hearth.Data.PoolSizing.AdminPoolSize);
    }
}
