using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.External;

/// <summary>
/// The database restarts under running instances: requests get PostgREST's 503 PGRST000 at once (no
/// hanging), and every instance serves again by itself once the server is back — no Hearth restart.
/// A server of its own: stopping it must not disturb other tests.
/// </summary>
[ClassDataSource<PrivateExternalServer>(Shared = SharedType.PerClass)]
[NotInParallel("external-server-faults")] // one stops the server, the other freezes it
public class RestartTests(PrivateExternalServer server)
{
    [Test]
    public async Task Instances_answer_503_while_the_database_is_down_and_recover_without_a_restart()
    {
        var db = await server.NewDatabaseAsync();
        await using var one = await ExternalHearth.ServeAsync(server, db);
        await using var two = await ExternalHearth.ServeAsync(server, db);
        var instances = new[] { one, two };
        // A request that hangs instead of failing fast fails the test through this timeout.
        var clients = instances.Select(h => new HttpClient { BaseAddress = h.BaseUrl, Timeout = TimeSpan.FromSeconds(10) }).ToArray();
        foreach (var c in clients) await Assert.That((int)(await c.GetAsync("items")).StatusCode).IsEqualTo(200);

        await server.StopServerAsync();
        var down = new List<(int Status, string Body, string? RetryAfter)>();
        foreach (var c in clients)
            for (var i = 0; i < 3; i++)
            {
                using var res = await c.GetAsync("items");
                down.Add(((int)res.StatusCode, await res.Content.ReadAsStringAsync(), res.Headers.RetryAfter?.ToString()));
            }

        await server.StartServerAsync();
        var recovered = new List<int>();
        foreach (var c in clients) recovered.Add(await FirstOkWithinAsync(c, TimeSpan.FromSeconds(30)));

        using var _ = Assert.Multiple();
        foreach (var (status, body, retryAfter) in down)
        {
            await Assert.That(status).IsEqualTo(503);
            await Assert.That(body).Contains("\"code\":\"PGRST000\"");
            await Assert.That(retryAfter).IsNotNull();
        }
        await Assert.That(recovered).IsEquivalentTo([200, 200]);
        foreach (var h in instances) await Assert.That(h.HasExited).IsFalse();
        foreach (var c in clients) c.Dispose();
    }

    [Test]
    public async Task A_partitioned_database_is_bounded_by_the_timeouts_and_recovers()
    {
        var db = await server.NewDatabaseAsync();
        // Npgsql's Command Timeout in the URL (3 s) bounds a query whose server went silent; the acquisition timeout bounds a connect.
        // Straight to the server even in the pooler run: what is measured is Hearth's own bound, and a timed-out
        // command's cancel request to a silent server crashes PgBouncer 1.18 (pgbouncer#801, fixed in later releases).
        var direct = server.Url("authenticator", ExternalServer.AuthenticatorPassword, db.Name, viaPooler: false);
        var url = direct + (direct.Contains('?') ? "&" : "?") + "CommandTimeout=3";
        await using var hearth = ExternalHearth.Start(["serve", "--port", "0", "--database-url", url, "--admin-database-url", db.AdminUrl,
            "--supabase", ExternalHearth.Project, "--db-pool-acquisition-timeout", "3"]);
        await hearth.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl, Timeout = TimeSpan.FromSeconds(20) };
        await Assert.That((int)(await http.GetAsync("items")).StatusCode).IsEqualTo(200);

        server.Freeze(true);
        int during;
        try { during = (int)(await http.GetAsync("items")).StatusCode; } // a hang fails the test through the client's timeout
        finally { server.Freeze(false); }
        var after = await FirstOkWithinAsync(http, TimeSpan.FromSeconds(30));

        using var _ = Assert.Multiple();
        await Assert.That(during).IsEqualTo(503);
        await Assert.That(after).IsEqualTo(200);
        await Assert.That(hearth.HasExited).IsFalse();
    }

    private static async Task<int> FirstOkWithinAsync(HttpClient http, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var status = 0;
        while (DateTime.UtcNow < deadline)
        {
            try { status = (int)(await http.GetAsync("items")).StatusCode; }
            catch (HttpRequestException) { status = -1; }
            if (status == 200) return status;
            await Task.Delay(250);
        }
        return status;
    }
}
