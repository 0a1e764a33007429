using System.Net;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>Signals whose default action would kill Hearth (and orphan its PostgreSQL) are handled.</summary>
public class SignalTests
{
    [Test]
    public async Task Sighup_is_ignored_and_sigusr2_neither_kills_nor_restarts()
    {
        using var dir = new TempDir("sighup");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data, RepoPaths.Fixture("migrations"));
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;

        var slow = http.GetAsync("slow"); // in flight while the signals arrive (a view that sleeps 2 s)
        await Task.Delay(300);
        hearth.Signal(Signals.SigHup);
        hearth.Signal(Signals.SigUsr2);
        await SupervisionTests.WaitForAsync(() => Task.FromResult(hearth.Stderr.Contains("SIGUSR2 received") || hearth.HasExited), TimeSpan.FromSeconds(10));

        await Assert.That(hearth.HasExited).IsFalse();
        await Assert.That((await slow).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(hearth.Stderr).Contains("SIGHUP received: ignored");
        await Assert.That(PostgresProcesses.PostmasterPid(data)).IsEqualTo(postmaster); // not restarted either
        await Assert.That(await hearth.StopAsync()).IsEqualTo(0);
        await Assert.That(PostgresProcesses.ProcessesUsing(data)).IsEmpty();
    }

    [Test]
    public async Task Sigusr1_reloads_the_schema_cache_as_in_postgrest()
    {
        using var dir = new TempDir("sigusr1");
        var data = dir.Combine("data");
        // No channel: otherwise the DDL event trigger would reload the cache before the signal does.
        await using var hearth = await HearthProcess.ServeAsync(data, extraArgs: ["--db-channel-enabled", "false"]);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await Db.ExecAsync(Db.ConnectionString(data), "create table added_later (id int primary key); grant select on added_later to anon");
        await Assert.That((await http.GetAsync("added_later")).StatusCode).IsEqualTo(HttpStatusCode.NotFound); // not in the cache yet

        hearth.Signal(Signals.SigUsr1);

        await SupervisionTests.WaitForAsync(async () => hearth.HasExited || (await http.GetAsync("added_later")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        await Assert.That(hearth.HasExited).IsFalse();
        await Assert.That(hearth.Stderr).Contains("SIGUSR1 received: reloading the schema cache");
    }
}
