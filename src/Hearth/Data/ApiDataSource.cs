using Npgsql;

namespace Hearth.Data;

/// <summary>
/// The connections API requests run on, separate from the administrative ones (migrations, schema
/// cache). As in PostgREST they log in as an "authenticator" — in embedded mode the non-superuser
/// `authenticator` role, with --database-url the URL's user — and every physical connection starts its
/// session as the anon role in read-only mode. An anonymous read therefore needs no setup statement;
/// other roles and writes change that transaction-locally (see ApiExecutor), so it always falls back to anon.
/// </summary>
public sealed class ApiDataSource(NpgsqlDataSource source, string anonRole) : IAsyncDisposable
{
    public const string AuthenticatorRole = "authenticator";

    public NpgsqlDataSource Source { get; } = source;

    public string AnonRole { get; } = anonRole;

    public static ApiDataSource Create(string connectionString, string anonRole)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // The role name comes from configuration and is quoted; never from a request.
        var init = $"set role {Sql.SqlText.Ident(anonRole)}; set default_transaction_read_only = on";
        builder.UsePhysicalConnectionInitializer(
            conn => { using var cmd = new NpgsqlCommand(init, conn); cmd.ExecuteNonQuery(); },
            async conn => { await using var cmd = new NpgsqlCommand(init, conn); await cmd.ExecuteNonQueryAsync(); });
        return new ApiDataSource(builder.Build(), anonRole);
    }

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
