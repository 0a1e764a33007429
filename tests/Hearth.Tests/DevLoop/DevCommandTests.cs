using System.Net;
using System.Text.RegularExpressions;
using Hearth.Tests.Hosting;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.DevLoop;

/// <summary>The everyday commands: migration new, db reset, serve --watch, serve --ephemeral.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public partial class DevCommandTests(SharedHearth shared)
{
    private static string CopyFixture(TempDir dir, string fixture)
    {
        var target = dir.Combine("migrations");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(RepoPaths.Fixture(fixture), "*.sql")) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        return target;
    }

    [Test]
    public async Task Migration_new_creates_an_empty_timestamped_file()
    {
        using var dir = new TempDir("mignew");
        var migrations = dir.Combine("migs");
        var before = DateTime.UtcNow;
        var (code, stdout, _) = await HearthProcess.RunAsync(["migration", "new", "create_todos", "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(0);
        var file = Directory.GetFiles(migrations).Single();
        await Assert.That(Path.GetFileName(file)).Matches(@"^\d{14}_create_todos\.sql$");
        var stamp = DateTime.ParseExact(Path.GetFileName(file)[..14], "yyyyMMddHHmmss", null);
        await Assert.That(stamp).IsGreaterThanOrEqualTo(before.AddSeconds(-1).AddTicks(-(before.Ticks % TimeSpan.TicksPerSecond)));
        await Assert.That(new FileInfo(file).Length).IsEqualTo(0L);
        await Assert.That(stdout).Contains($"Created new migration at {file}");

        // --supabase DIR: its migrations/ folder, created when missing.
        var project = dir.Combine("supabase");
        (code, _, _) = await HearthProcess.RunAsync(["migration", "new", "first", "--supabase", project]);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(Directory.GetFiles(Path.Combine(project, "migrations")).Single()).EndsWith("_first.sql");
    }

    [Test]
    [Arguments("../escape")]
    [Arguments("")]
    public async Task Migration_new_refuses_a_name_that_is_not_a_file_name(string name)
    {
        using var dir = new TempDir("mignew-bad");
        var (code, _, stderr) = await HearthProcess.RunAsync(["migration", "new", name, "--migrations", dir.Path]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("cannot be part of a file name");
        await Assert.That(Directory.GetFiles(dir.Path)).IsEmpty();
    }

    [Test]
    public async Task Migration_new_without_a_folder_is_a_usage_error()
    {
        using var dir = new TempDir("mignew-nofolder");
        var (code, _, stderr) = await HearthProcess.RunAsync(["migration", "new", "x"], workingDir: dir.Path);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("--migrations DIR or --supabase DIR");
    }

    [Test]
    public async Task Db_reset_recreates_the_embedded_database_from_the_migrations_and_refuses_while_served()
    {
        using var dir = new TempDir("reset");
        var data = dir.Combine("data");
        var migrations = CopyFixture(dir, "migrations");
        var seed = dir.Combine("seed.sql");
        File.WriteAllText(seed, "insert into authors (id, name) values (100, 'Seeded');");
        var args = new[] { "--data-dir", data, "--migrations", migrations, "--seed", seed };
        await using (var hearth = await HearthProcess.ServeAsync(data, migrations, ["--seed", seed]))
        {
            await Db.ExecAsync(Db.ConnectionString(data), "insert into authors (id, name) values (99, 'Added by hand'); create table stray (id int)");
            var refused = await HearthProcess.RunAsync(["db", "reset", .. args]);
            await Assert.That(refused.ExitCode).IsEqualTo(1);
            await Assert.That(refused.Stderr).Contains("Another Hearth is already using the data directory");
            await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from authors where id = 99")).IsEqualTo(1L);
        }
        var secret = File.ReadAllText(Path.Combine(data, "jwt-secret"));

        var (code, stdout, stderr) = await HearthProcess.RunAsync(["db", "reset", .. args]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(stdout).Contains("Finished hearth db reset");

        await using var again = await HearthProcess.ServeAsync(data, migrations);
        using var http = new HttpClient { BaseAddress = again.BaseUrl };
        var authors = await http.GetStringAsync("authors?select=id&order=id");
        await Assert.That(authors).Contains("100"); // the seed ran again
        await Assert.That(authors).DoesNotContain("99");
        await Assert.That(await Db.ScalarAsync<bool>(Db.ConnectionString(data), "select to_regclass('stray') is null")).IsTrue();
        await Assert.That(File.ReadAllText(Path.Combine(data, "jwt-secret"))).IsEqualTo(secret);
    }

    [Test]
    public async Task Db_reset_of_a_database_url_needs_yes_and_then_drops_and_reapplies()
    {
        var name = "reset_" + Guid.NewGuid().ToString("N")[..10];
        await Db.ExecAsync(shared.SuperuserConnectionString(), $"create database {name}");
        var url = $"postgresql://postgres@/{name}?host={Uri.EscapeDataString(Path.Combine(shared.DataDir, "run"))}";
        var db = shared.SuperuserConnectionString(name);
        var migrate = await HearthProcess.RunAsync(["migrate", "--database-url", url, "--migrations", RepoPaths.Fixture("migrations")]);
        await Assert.That(migrate.ExitCode).IsEqualTo(0);
        await Db.ExecAsync(db, "create table public.stray (id int); create schema scratch; insert into authors (id, name) values (99, 'x')");

        var refused = await HearthProcess.RunAsync(["db", "reset", "--database-url", url, "--migrations", RepoPaths.Fixture("migrations")]);
        await Assert.That(refused.ExitCode).IsEqualTo(2);
        await Assert.That(refused.Stderr).Contains("add --yes to confirm");
        await Assert.That(await Db.ScalarAsync<bool>(db, "select to_regclass('public.stray') is not null")).IsTrue();

        var reset = await HearthProcess.RunAsync(["db", "reset", "--yes", "--database-url", url, "--migrations", RepoPaths.Fixture("migrations")]);
        await Assert.That(reset.ExitCode).IsEqualTo(0).Because(reset.Stderr);
        await Assert.That(await Db.ScalarAsync<bool>(db, "select to_regclass('public.stray') is null and to_regnamespace('scratch') is null")).IsTrue();
        await Assert.That(await Db.ScalarAsync<long>(db, "select count(*) from authors where id = 99")).IsEqualTo(0L);
        await Assert.That(await Db.ScalarAsync<long>(db, "select count(*) from authors")).IsGreaterThan(0L);
    }

    [Test]
    public async Task Watch_applies_new_migration_files_and_reports_edited_ones()
    {
        using var dir = new TempDir("watch");
        var migrations = dir.Combine("migrations");
        Directory.CreateDirectory(migrations);
        var first = Path.Combine(migrations, "001_first.sql");
        File.WriteAllText(first, "create table first (id int); grant select on first to anon;");
        await using var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), migrations, ["--watch"]);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };

        File.WriteAllText(Path.Combine(migrations, "002_second.sql"), "create table second (id int); grant select on second to anon; insert into second values (7);");
        await SupervisionTests.WaitForAsync(async () => (await http.GetAsync("second")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        await Assert.That(await http.GetStringAsync("second")).IsEqualTo("[{\"id\":7}]");

        // An applied file edited: reported, not re-run; Hearth keeps serving and keeps watching.
        File.AppendAllText(first, "\ncreate table never (id int);");
        await SupervisionTests.WaitForAsync(() => Task.FromResult(hearth.Stderr.Contains("'001_first.sql' was changed after it was applied")), TimeSpan.FromSeconds(20));
        // A broken file: its error is logged, nothing of it stays; fixed, it is applied.
        var third = Path.Combine(migrations, "003_third.sql");
        File.WriteAllText(third, "create table third (id int); select no_such_function();");
        await SupervisionTests.WaitForAsync(() => Task.FromResult(hearth.Stderr.Contains("no_such_function")), TimeSpan.FromSeconds(20));
        File.WriteAllText(third, "create table third (id int); grant select on third to anon;");
        await SupervisionTests.WaitForAsync(async () => (await http.GetAsync("third")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));

        await Assert.That((await http.GetAsync("never")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(hearth.HasExited).IsFalse();
        await Assert.That(Regex.Matches(hearth.Stderr, "'001_first.sql' was changed").Count).IsEqualTo(1); // once, not on every change
    }

    [Test]
    public async Task Ephemeral_serves_from_a_throwaway_data_dir_deleted_on_exit()
    {
        var hearth = HearthProcess.Start(["serve", "--ephemeral", "--port", "0", "--migrations", RepoPaths.Fixture("migrations")]);
        await using var _ = hearth;
        await hearth.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await Assert.That(await http.GetStringAsync("authors?id=eq.2&select=name")).IsEqualTo("[{\"name\":\"Stanisław Lem\"}]");
        var dataDir = DataDirLine().Match(hearth.Stderr).Groups[1].Value;
        await Assert.That(Directory.Exists(Path.Combine(dataDir, "pg_embed"))).IsTrue();

        await Assert.That(await hearth.StopAsync()).IsEqualTo(0);
        await Assert.That(Directory.Exists(dataDir)).IsFalse();
        await Assert.That(PostgresProcesses.ProcessesUsing(dataDir)).IsEmpty();
    }

    [Test]
    public async Task Ephemeral_sidecar_hands_over_and_cleans_up_when_stdin_closes()
    {
        var hearth = HearthProcess.Start(["serve", "--ephemeral", "--sidecar", "--migrations", RepoPaths.Fixture("migrations")]);
        await using var _ = hearth;
        using var handshake = System.Text.Json.JsonDocument.Parse(await hearth.FirstLineAsync());
        using var http = new HttpClient { BaseAddress = new Uri(handshake.RootElement.GetProperty("url").GetString()! + "/") };
        http.DefaultRequestHeaders.Authorization = new("Bearer", handshake.RootElement.GetProperty("token").GetString());
        await Assert.That((await http.GetAsync("authors")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        var dataDir = DataDirLine().Match(hearth.Stderr).Groups[1].Value;

        hearth.CloseStdin();
        await Assert.That(await hearth.WaitForExitAsync(TimeSpan.FromSeconds(60))).IsEqualTo(0);
        await Assert.That(Directory.Exists(dataDir)).IsFalse();
    }

    [Test]
    [Arguments("--data-dir", "/tmp/x")]
    [Arguments("--database-url", "postgres://u@localhost/db")]
    public async Task Ephemeral_refuses_a_data_dir_or_database_url(string flag, string value)
    {
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--ephemeral", flag, value]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("--ephemeral makes its own throwaway data dir");
    }

    [GeneratedRegex(@"embedded, data dir (\S+)\)")]
    private static partial Regex DataDirLine();
}
