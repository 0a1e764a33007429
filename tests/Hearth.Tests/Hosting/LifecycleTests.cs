using System.Net;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>Start, stop, crash and restart of Hearth with its embedded PostgreSQL, each on its own data dir.</summary>
public class LifecycleTests
{
    private static string Migrations => RepoPaths.Fixture("migrations");

    [Test]
    public async Task Serve_watches_no_files_in_its_working_directory()
    {
        // As `hearth serve` runs by default: the data dir inside the working directory, so a watcher on the
        // working directory would wake Hearth for every file PostgreSQL writes.
        using var dir = new TempDir("no-watch");
        await using var hearth = HearthProcess.Start(["serve", "--data-dir", "hearth-data", "--port", "0"], workingDir: dir.Path);
        await hearth.WaitReadyAsync();
        var inotify = Directory.GetFiles($"/proc/{hearth.Pid}/fd")
            .Count(fd => new FileInfo(fd).LinkTarget is { } target && target.Contains("inotify", StringComparison.Ordinal));
        await Assert.That(inotify).IsEqualTo(0);
    }

    [Test]
    public async Task Committed_data_survives_a_clean_restart()
    {
        using var dir = new TempDir("restart");
        var data = dir.Combine("data");
        await using (var first = await HearthProcess.ServeAsync(data, Migrations))
        {
            await Db.ExecAsync(Db.ConnectionString(data), "insert into authors values (42, 'Restart Survivor', 'NO')");
            await Assert.That(await first.StopAsync()).IsEqualTo(0);
        }
        await using var second = await HearthProcess.ServeAsync(data, Migrations);
        using var http = new HttpClient { BaseAddress = second.BaseUrl };
        await Assert.That(await http.GetStringAsync("authors")).Contains("Restart Survivor");
    }

    [Test]
    public async Task Sigterm_finishes_requests_in_flight_then_stops_postgres()
    {
        using var dir = new TempDir("sigterm");
        var data = dir.Combine("data");
        var hearth = await HearthProcess.ServeAsync(data, Migrations);
        var postmaster = PostgresProcesses.PostmasterPid(data);
        await Assert.That(postmaster).IsNotNull();
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };

        var slow = http.GetAsync("slow"); // a view that sleeps 2 s
        await Task.Delay(500);
        var exitCode = await hearth.StopAsync();
        var response = await slow;

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("done");
        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(PostgresProcesses.IsRunning(postmaster!.Value)).IsFalse();
        await Assert.That(PostgresProcesses.ProcessesUsing(data)).IsEmpty();
        await hearth.DisposeAsync();
    }

    [Test]
    public async Task After_kill_9_of_hearth_the_next_start_takes_over_the_orphaned_postgres()
    {
        using var dir = new TempDir("kill9");
        var data = dir.Combine("data");
        var first = await HearthProcess.ServeAsync(data, Migrations);
        var orphan = PostgresProcesses.PostmasterPid(data)!.Value;
        await Db.ExecAsync(Db.ConnectionString(data), "insert into authors values (43, 'Committed Before Kill', null)");
        first.KillHard();
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await Assert.That(PostgresProcesses.IsRunning(orphan)).IsTrue(); // the situation we must recover from

        await using var second = await HearthProcess.ServeAsync(data, Migrations);
        using var http = new HttpClient { BaseAddress = second.BaseUrl };
        await Assert.That(await http.GetStringAsync("authors")).Contains("Committed Before Kill");
        await Assert.That(PostgresProcesses.IsRunning(orphan)).IsFalse(); // restarted under our settings
        await first.DisposeAsync();
    }

    [Test]
    public async Task After_kill_9_of_everything_crash_recovery_keeps_committed_rows()
    {
        using var dir = new TempDir("crash");
        var data = dir.Combine("data");
        var first = await HearthProcess.ServeAsync(data, Migrations);
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;
        await Db.ExecAsync(Db.ConnectionString(data), "insert into authors values (44, 'Committed Before Crash', null)");
        first.KillHard();
        Signals.Send(postmaster, Signals.SigKill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));

        await using var second = await HearthProcess.ServeAsync(data, Migrations);
        using var http = new HttpClient { BaseAddress = second.BaseUrl };
        await Assert.That(await http.GetStringAsync("authors")).Contains("Committed Before Crash");
        await first.DisposeAsync();
    }

    [Test]
    public async Task A_second_hearth_on_the_same_data_dir_refuses_clearly()
    {
        using var dir = new TempDir("twice");
        var data = dir.Combine("data");
        await using var first = await HearthProcess.ServeAsync(data);
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", data, "--port", "0"]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("Another Hearth is already using the data directory");
        using var http = new HttpClient { BaseAddress = first.BaseUrl };
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task Deleting_hearth_lock_does_not_let_a_second_hearth_take_over()
    {
        using var dir = new TempDir("lockdel");
        var data = dir.Combine("data");
        await using var first = await HearthProcess.ServeAsync(data);
        var postmaster = PostgresProcesses.PostmasterPid(data);
        File.Delete(Path.Combine(data, "hearth.lock"));

        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", data, "--port", "0"]);

        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("Another Hearth is already using the data directory");
        await Assert.That(PostgresProcesses.PostmasterPid(data)).IsEqualTo(postmaster); // the first one's PostgreSQL was left alone
        await Assert.That(PostgresProcesses.IsRunning(postmaster!.Value)).IsTrue();
        using var http = new HttpClient { BaseAddress = first.BaseUrl };
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task PostgreSQL_never_runs_as_root_and_listens_on_no_tcp_port()
    {
        using var dir = new TempDir("root");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data);
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;
        var uid = PostgresProcesses.Uid(postmaster);
        if (Signals.IsRoot)
            await Assert.That(uid).IsNotEqualTo(0u); // Hearth runs as root; its database must not
        else
            await Assert.That(uid).IsEqualTo(PostgresProcesses.Uid(Environment.ProcessId));
        await Assert.That(await Db.ScalarAsync<string>(Db.ConnectionString(data), "show listen_addresses")).IsEqualTo("");
        await Assert.That(await Db.ScalarAsync<string>(Db.ConnectionString(data), "show fsync")).IsEqualTo("on");
        await Assert.That(await Db.ScalarAsync<string>(Db.ConnectionString(data), "show wal_buffers")).IsEqualTo("2MB"); // not the 4 MB default: idle memory
        await Assert.That(await Db.ScalarAsync<string>(Db.ConnectionString(data), "select datcollate from pg_database where datname = current_database()")).IsEqualTo("C.UTF-8");
        var socketDirMode = File.GetUnixFileMode(Path.Combine(data, "run"));
        await Assert.That(socketDirMode).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Test]
    public async Task Embedded_mode_creates_the_supabase_roles()
    {
        using var dir = new TempDir("roles");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data);
        var roles = await Db.ScalarAsync<string>(Db.ConnectionString(data),
            "select string_agg(rolname || ':' || rolcanlogin || ':' || rolbypassrls, ',' order by rolname) from pg_roles where rolname in ('anon','authenticated','service_role')");
        await Assert.That(roles).IsEqualTo("anon:false:false,authenticated:false:false,service_role:false:true");
    }

    [Test]
    public async Task A_fatal_start_after_postgres_is_up_stops_postgres_and_says_so_in_one_line()
    {
        // The port is taken: Kestrel fails to bind after the database, migrations and schema cache are up.
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var dir = new TempDir("fatal");
        var data = dir.Combine("data");
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", data, "--migrations", Migrations, "--port", port.ToString()]);
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stdout).IsEmpty();
        await Assert.That(stderr).Contains("hearth: Cannot listen on 127.0.0.1:" + port);
        await Assert.That(stderr).DoesNotContain("   at ");
        await Assert.That(PostgresProcesses.ProcessesUsing(data)).IsEmpty();
    }
}

/// <summary>--log-requests: one line per request on stderr, and nothing per request without it.</summary>
public class RequestLoggingTests
{
    [Test]
    public async Task Request_logging_is_switchable()
    {
        using var dir = new TempDir("reqlog");
        await using (var quiet = await HearthProcess.ServeAsync(dir.Combine("quiet")))
        {
            using var http = new HttpClient { BaseAddress = quiet.BaseUrl };
            await http.GetAsync("live");
            await quiet.StopAsync();
            await Assert.That(quiet.Stderr).DoesNotContain("GET /live");
        }
        await using var loud = await HearthProcess.ServeAsync(dir.Combine("loud"), extraArgs: ["--log-requests"]);
        using (var http = new HttpClient { BaseAddress = loud.BaseUrl })
        {
            http.DefaultRequestHeaders.Add("Authorization", "Bearer secret-token-value");
            await http.GetAsync("live?x=1");
        }
        await loud.StopAsync();
        await Assert.That(loud.Stderr).Contains("GET /live?x=1 200");
        await Assert.That(loud.Stderr).DoesNotContain("secret-token-value"); // headers are never logged
    }
}
