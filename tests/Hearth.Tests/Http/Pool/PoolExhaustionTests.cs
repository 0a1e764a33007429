using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Pool;

/// <summary>
/// A request that finds every API connection busy waits --db-pool-acquisition-timeout for one, then gets
/// PostgREST's 504 PGRST003 — never PostgreSQL's 53300, since Hearth never asks for more than --db-pool.
/// </summary>
[ClassDataSource<SmallPoolHearth>(Shared = SharedType.PerClass)]
public class PoolExhaustionTests(SmallPoolHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task A_request_that_waits_past_the_acquisition_timeout_gets_504_PGRST003()
    {
        // Three slow calls hold all three connections ...
        var slow = Enumerable.Range(0, 3).Select(_ => Get(Http, "rpc/slow?seconds=4")).ToArray();
        var busy = await PoolHearth.EventuallyAsync(async () => await hearth.ApiBackendsAsync("state = 'active'") == 3,
            TimeSpan.FromSeconds(20));
        await Assert.That(busy).IsTrue().Because("three slow calls should be running");

        // ... so a fourth request waits 1 s for one and gives up the way PostgREST does.
        var extra = await Get(Http, "items?id=eq.1");
        var extraRpc = await Get(Http, "rpc/slow?seconds=0");
        using (Assert.Multiple())
        {
            await Assert.That(extra.StatusAndJson).IsEqualTo(Error(504, "PGRST003", "Timed out acquiring connection from connection pool."));
            await Assert.That(extraRpc.StatusAndJson).IsEqualTo(Error(504, "PGRST003", "Timed out acquiring connection from connection pool."));
            await Assert.That(await hearth.ApiBackendsAsync()).IsLessThanOrEqualTo(3);
        }

        // The slow calls were never disturbed, and once they are done the pool serves again.
        foreach (var r in await Task.WhenAll(slow)) await Assert.That(r.StatusAndBody).IsEqualTo("200 1");
        await Assert.That((await Get(Http, "items?id=eq.1&select=id")).StatusAndJson).IsEqualTo(Expect(200, """[{"id":1}]"""));
    }
}
