using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Pool;

/// <summary>
/// In embedded mode the pool is sized from max_connections (less the reserved slots, the admin pool and
/// some headroom), so far more concurrent requests than the server has connections wait their turn
/// instead of failing with 53300 "remaining connection slots are reserved".
/// </summary>
[ClassDataSource<DefaultPoolHearth>(Shared = SharedType.PerTestSession)]
public class ConnectionLimitTests(DefaultPoolHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task More_concurrent_slow_requests_than_max_connections_all_succeed()
    {
        var max = await hearth.SettingAsync("max_connections");
        var reserved = await hearth.SettingAsync("superuser_reserved_connections") + await hearth.SettingAsync("reserved_connections");
        var requests = max + 50;
        var replies = await Task.WhenAll(Enumerable.Range(0, requests).Select(i =>
            i % 5 == 0 ? Get(Http, "items?id=eq.1&select=id") : Get(Http, "rpc/slow?seconds=0.3")));
        using var _ = Assert.Multiple();
        foreach (var r in replies)
            await Assert.That(r.Code).IsEqualTo(200).Because(r.StatusAndBody);
        // Hearth took no more than a non-superuser can have next to its admin pool, with room to spare.
        await Assert.That(await hearth.ApiBackendsAsync()).IsLessThanOrEqualTo(global::Hearth.Data.PoolSizing.EmbeddedDefault(new(max, reserved, 0)));
    }
}
