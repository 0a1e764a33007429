using Npgsql;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// One Hearth (and so one embedded PostgreSQL) for the whole test run, serving Fixtures/migrations with
/// the public and other schemas exposed. Tests that need their own lifecycle start their own process.
/// HEARTH_TEST_SHARED_EXTERNAL=1 (the external job): the same Hearth on an <see cref="ExternalServer"/>
/// database instead — authenticator and owner URLs, through PgBouncer with HEARTH_TEST_POOLER=1 — so the
/// read tests, which only speak HTTP to it, run against PostgreSQL 15 and the pooler too.
/// </summary>
public sealed class SharedHearth : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new("shared");
    private HearthProcess? _process;
    private ExternalServer? _external;

    public HttpClient Http { get; private set; } = null!;
    public string DataDir => _dir.Combine("data");
    public HearthProcess Process => _process!;

    /// <summary>A superuser connection over the private socket, for arranging and checking data directly.</summary>
    public string SuperuserConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Path.Combine(DataDir, "run"), Port = 5432, Username = "postgres", Database = database, Pooling = false,
    }.ConnectionString;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("HEARTH_TEST_SHARED_EXTERNAL") == "1")
        {
            _external = new ExternalServer();
            await _external.InitializeAsync();
            var db = await _external.NewDatabaseAsync();
            _process = HearthProcess.Start(["serve", "--port", "0", "--database-url", db.ApiUrl, "--admin-database-url", db.AdminUrl,
                "--migrations", RepoPaths.Fixture("migrations"), "--schemas", "public,other", .. _external.PoolerFlags]);
            await _process.WaitReadyAsync();
        }
        else _process = await HearthProcess.ServeAsync(DataDir, RepoPaths.Fixture("migrations"), ["--schemas", "public,other"]);
        Http = new HttpClient { BaseAddress = _process.BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        if (_external is not null) await _external.DisposeAsync();
        _dir.Dispose();
    }
}
