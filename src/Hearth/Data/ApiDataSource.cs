using Npgsql;

namespace Hearth.Data;

/// <summary>
/// The connections API requests run on, separate from the administrative ones (migrations, schema
/// cache). As in PostgREST they log in as an "authenticator" — in embedded mode the non-superuser
/// `authenticator` role, with --database-url the URL's user — and every physical connection starts its
/// session as the anon role in read-only mode. Requests change role and settings transaction-locally
/// (see ApiExecutor), so a session always falls back to anon between requests.
/// The pool holds at most <see cref="MaxPoolSize"/> connections; a request waits up to the acquisition
/// timeout for one (Npgsql's Timeout), see <see cref="PoolSizing"/>.
/// </summary>
public sealed class ApiDataSource : IAsyncDisposable
{
    public const string AuthenticatorRole = "authenticator";

    private readonly string _connectionString;
    private readonly SessionDefaults _session;
    private readonly int _acquisitionTimeoutSeconds;
    private volatile NpgsqlDataSource _source;

    private ApiDataSource(string connectionString, SessionDefaults session, int maxPoolSize, int acquisitionTimeoutSeconds)
    {
        _connectionString = connectionString;
        _session = session;
        _acquisitionTimeoutSeconds = acquisitionTimeoutSeconds;
        MaxPoolSize = maxPoolSize;
        _source = Build();
    }

    public NpgsqlDataSource Source => _source;

    /// <summary>With the password (NpgsqlDataSource.ConnectionString drops it), for the startup check of the authenticator.</summary>
    public string ConnectionString => _connectionString;

    public int MaxPoolSize { get; private set; }

    /// <summary>No session state (behind a transaction pooler): see <see cref="SessionDefaults.Pooled"/>.</summary>
    public bool Pooled => _session.Pooled;

    /// <param name="session">What a session is set to between requests (see <see cref="SessionDefaults"/>).</param>
    public static ApiDataSource Create(string connectionString, SessionDefaults session, int maxPoolSize, int acquisitionTimeoutSeconds) =>
        new(connectionString, session, maxPoolSize, acquisitionTimeoutSeconds);

    /// <summary>
    /// Sets the pool size once the server's limits are known (embedded mode: after PostgreSQL started,
    /// before the HTTP server listens). Npgsql fixes the size when a data source is built, so an unused
    /// one is replaced.
    /// </summary>
    public async ValueTask ResizeAsync(int maxPoolSize)
    {
        if (maxPoolSize == MaxPoolSize) return;
        var old = _source;
        MaxPoolSize = maxPoolSize;
        _source = Build();
        await old.DisposeAsync();
    }

    private NpgsqlDataSource Build()
    {
        var builder = new NpgsqlDataSourceBuilder(_connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = MaxPoolSize;
        // Npgsql's Timeout is how long an open waits, for a free pooled connection as for a new one.
        builder.ConnectionStringBuilder.Timeout = _acquisitionTimeoutSeconds;
        if (_session.Pooled) return builder.Build(); // nothing session-level: see SessionDefaults.Pooled
        var init = _session.InitializerSql();
        builder.UsePhysicalConnectionInitializer(
            conn => { using var cmd = new NpgsqlCommand(init, conn); cmd.ExecuteNonQuery(); },
            async conn => { await using var cmd = new NpgsqlCommand(init, conn); await cmd.ExecuteNonQueryAsync(); });
        return builder.Build();
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
