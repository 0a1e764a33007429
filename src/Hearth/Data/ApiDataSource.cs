using Npgsql;

namespace Hearth.Data;

/// <summary>
/// The connections API requests run on, separate from the administrative ones (migrations, schema
/// cache). As in PostgREST they log in as an "authenticator" — in embedded mode the non-superuser
/// `authenticator` role, with --database-url the URL's user — and every physical connection starts its
/// session as the anon role in read-only mode. Requests change role and settings transaction-locally
/// (see ApiExecutor), so a session always falls back to anon between requests.
/// </summary>
public sealed class ApiDataSource(NpgsqlDataSource source) : IAsyncDisposable
{
    public const string AuthenticatorRole = "authenticator";

    public NpgsqlDataSource Source { get; } = source;

    /// <param name="session">What a session is set to between requests (see <see cref="SessionDefaults"/>).</param>
    public static ApiDataSource Create(string connectionString, SessionDefaults session)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var init = session.InitializerSql();
        builder.UsePhysicalConnectionInitializer(
            conn => { using var cmd = new NpgsqlCommand(init, conn); cmd.ExecuteNonQuery(); },
            async conn => { await using var cmd = new NpgsqlCommand(init, conn); await cmd.ExecuteNonQueryAsync(); });
        return new ApiDataSource(builder.Build());
    }

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
