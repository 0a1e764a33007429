using Hearth.Errors;

namespace Hearth.Tests.Hosting;

/// <summary>SQLSTATEs of a database that is shutting down, recovering or out of disk, as HTTP statuses.</summary>
public class DatabaseErrorStatusTests
{
    [Test]
    [Arguments("57P01")] // admin_shutdown: terminating connection due to administrator command
    [Arguments("57P02")] // crash_shutdown: another backend crashed, the server restarts
    [Arguments("57P03")] // cannot_connect_now: starting up / in recovery mode
    [Arguments("53100")] // disk_full (decision: 503 as PostgREST, not 507)
    public async Task Is_503(string sqlState)
    {
        await Assert.That(PostgresErrors.StatusFor(sqlState, authenticated: false)).IsEqualTo(503);
        await Assert.That(PostgresErrors.IsTransient(sqlState)).IsTrue(); // so the answer carries Retry-After
    }

    [Test]
    public async Task A_configuration_limit_stays_500_as_in_postgrest()
    {
        await Assert.That(PostgresErrors.StatusFor("53400", authenticated: false)).IsEqualTo(500);
        await Assert.That(PostgresErrors.IsTransient("53400")).IsFalse();
    }
}
