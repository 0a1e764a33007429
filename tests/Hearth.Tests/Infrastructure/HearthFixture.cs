using TUnit.Core.Interfaces;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A private Hearth for a group of test classes: a data dir of its own, a fixture migrations folder,
/// extra flags and environment. Subclasses only say which.
/// With <see cref="ExternalMode"/> (the external job, HEARTH_TEST_SHARED_EXTERNAL=1) the same Hearth runs on a
/// PostgreSQL server of its own (<see cref="ExternalServer"/>: authenticator and owner URLs, through PgBouncer with
/// HEARTH_TEST_POOLER=1), so the suites that only speak HTTP to it prove the same behaviour there. A server per
/// fixture: fixtures create roles, which are cluster-wide.
/// </summary>
public abstract class HearthFixture(string name, string migrations) : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new(name);
    private ExternalServer? _external;
    private ExternalDatabase? _database;

    public static bool ExternalMode => System.Environment.GetEnvironmentVariable("HEARTH_TEST_SHARED_EXTERNAL") == "1";

    /// <summary>A superuser connection to this Hearth's database, for arranging and checking data directly.</summary>
    public string SuperuserConnectionString => _database?.Superuser ?? Db.ConnectionString(Dir("data"));

    public HearthProcess Process { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    protected string Dir(string child) => _dir.Combine(child);

    protected virtual Task<IEnumerable<string>> ArgsAsync() => Task.FromResult(Enumerable.Empty<string>());

    protected virtual IDictionary<string, string>? Environment => null;

    public async Task InitializeAsync()
    {
        if (ExternalMode)
        {
            _external = new ExternalServer();
            await _external.InitializeAsync();
            _database = await _external.NewDatabaseAsync();
            Process = HearthProcess.Start(["serve", "--port", "0", "--database-url", _database.ApiUrl, "--admin-database-url", _database.AdminUrl,
                "--migrations", RepoPaths.Fixture(migrations), .. await ArgsAsync(), .. _external.PoolerFlags], Environment);
            await Process.WaitReadyAsync();
        }
        else Process = await HearthProcess.ServeAsync(Dir("data"), RepoPaths.Fixture(migrations), await ArgsAsync(), Environment);
        // No cookie container: tests send Cookie headers themselves and a Set-Cookie must not carry over.
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Process.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Process is not null) await Process.DisposeAsync();
        if (_external is not null) await _external.DisposeAsync();
        _dir.Dispose();
    }
}
