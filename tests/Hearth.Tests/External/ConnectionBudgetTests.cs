using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.External;

/// <summary>N instances × --db-pool must fit max_connections: an instance whose pool, on top of what is already open, would not fit says so at startup.</summary>
[ClassDataSource<ExternalServer>(Shared = SharedType.PerTestSession)]
public class ConnectionBudgetTests(ExternalServer server)
{
    [Test]
    public async Task A_pool_that_fills_what_is_left_beside_open_connections_gets_a_one_line_budget_warning()
    {
        var db = await server.NewDatabaseAsync();
        // What a non-superuser may have, less Hearth's admin and auth pools (as Data/PoolSizing counts it).
        var available = await Db.ScalarAsync<int>(db.Superuser, """
            select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int
                   - coalesce(current_setting('reserved_connections', true)::int, 0)
            """) - global::Hearth.Data.PoolSizing.AdminPoolSize - global::Hearth.Data.PoolSizing.AuthPoolSize;
        // Exactly what is available: the instance's own admin connection is open, so it cannot fit.
        await using var hearth = await ExternalHearth.ServeAsync(server, db, "--db-pool", available.ToString());
        var lines = hearth.Stderr.Split('\n').Where(l => l.Contains("Connection budget", StringComparison.Ordinal)).ToArray();
        using var _ = Assert.Multiple();
        await Assert.That(lines).HasSingleItem();
        await Assert.That(lines[0]).Contains($"this instance may open {available} API connections");
    }
}
