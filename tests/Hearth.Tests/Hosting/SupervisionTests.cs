using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>Embedded mode: Hearth brings its PostgreSQL back when it dies, and answers 503 quickly (and quietly) meanwhile.</summary>
public class SupervisionTests
{
    private static string Migrations => RepoPaths.Fixture("migrations");

    [Test]
    public async Task A_killed_postmaster_is_restarted_with_requests_answered_503_meanwhile_and_logged_once()
    {
        using var dir = new TempDir("supervise");
        var data = dir.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data, Migrations);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await Db.ExecAsync(Db.ConnectionString(data), "insert into authors values (45, 'Committed Before Postmaster Kill', null)");
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;
        var logLinesBefore = Lines(hearth.Stderr);

        Signals.Send(postmaster, Signals.SigKill);
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));

        // The outage: /ready says so, API requests get PostgREST's connection error quickly, with Retry-After.
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        var statuses = new List<int>();
        HttpResponseMessage? unavailable = null;
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 200; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await http.GetAsync("authors?select=id");
            slowest = watch.Elapsed > slowest ? watch.Elapsed : slowest;
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable) unavailable ??= response;
        }
        await Assert.That(unavailable).IsNotNull();
        await Assert.That(statuses.All(s => s is 503 or 200)).IsTrue();
        await Assert.That(slowest).IsLessThan(TimeSpan.FromSeconds(2));
        await Assert.That(unavailable!.Headers.RetryAfter).IsNotNull();
        using (var body = JsonDocument.Parse(await unavailable.Content.ReadAsStringAsync()))
        {
            await Assert.That(body.RootElement.GetProperty("code").GetString()).IsEqualTo("PGRST000");
            await Assert.That(body.RootElement.GetProperty("message").GetString()).IsEqualTo("Database connection error. Retrying the connection.");
        }

        // Back within seconds, after crash recovery, with the committed row.
        await WaitForAsync(async () => (await http.GetAsync("ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        await Assert.That(await http.GetStringAsync("authors?id=eq.45")).Contains("Committed Before Postmaster Kill");
        await Assert.That(PostgresProcesses.PostmasterPid(data)).IsNotEqualTo(postmaster);

        // 200 failed requests did not make 200 log lines: one per state change, a few per restart attempt.
        var outageLines = Lines(hearth.Stderr) - logLinesBefore;
        await Assert.That(outageLines).IsLessThan(30);
        await Assert.That(hearth.Stderr).Contains("Database available again");
    }

    private static int Lines(string text) => text.Count(c => c == '\n');

    public static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Condition not met within {timeout.TotalSeconds} s.");
            await Task.Delay(200);
        }
    }
}
