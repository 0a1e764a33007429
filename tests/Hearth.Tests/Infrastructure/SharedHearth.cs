using Npgsql;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// One Hearth (and so one embedded PostgreSQL) for the whole test run, serving Fixtures/migrations with
/// the public and other schemas exposed. Tests that need their own lifecycle start their own process.
/// </summary>
public sealed class SharedHearth : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new("shared");
    private HearthProcess? _process;

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
        _process = await HearthProcess.ServeAsync(DataDir, RepoPaths.Fixture("migrations"), ["--schemas", "public,other"]);
        Http = new HttpClient { BaseAddress = _process.BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
