using Hearth.Data;
using Hearth.Migrations;
using Hearth.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>The services `serve` and `migrate` share: the data source (embedded or external) and migrations.</summary>
public static class HearthServices
{
    /// <param name="embedded">An embedded PostgreSQL whose start `serve` has already begun (see <see cref="EmbeddedPostgres.BeginStart"/>).</param>
    public static IServiceCollection AddHearthDatabase(this IServiceCollection services, HearthOptions options, EmbeddedPostgres? embedded = null)
    {
        services.AddSingleton(options);
        string connectionString;
        string apiConnectionString;
        if (options.DatabaseUrl is { } url)
        {
            // The URL's user is the authenticator, as with PostgREST; the owner's URL, when given, does the rest.
            apiConnectionString = Parse(url, "--database-url");
            connectionString = options.AdminDatabaseUrl is { } admin ? Parse(admin, "--admin-database-url") : apiConnectionString;
        }
        else if (options.AdminDatabaseUrl is not null)
            throw new HearthUsageException("--admin-database-url needs --database-url (the embedded server has its own owner).");
        else
        {
            var layout = DataDirLayout.For(options.DataDir);
            services.AddSingleton(layout);
            if (embedded is not null) services.AddSingleton(embedded);
            else services.AddSingleton(sp => new EmbeddedPostgres(layout, sp.GetRequiredService<ILoggerFactory>().CreateLogger(EmbeddedPostgres.LogCategory), options.WalArchiveDir));
            connectionString = layout.ConnectionString;
            apiConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Username = ApiDataSource.AuthenticatorRole }.ConnectionString;
        }
        var prepared = options.DbPreparedStatements;
        services.AddNpgsqlDataSource(ConnectionStrings.ForAdmin(ConnectionStrings.WithHearthDefaults(connectionString, prepared)));
        // Sized for real by ApiPoolSizing (DatabaseLifetime) before its first use; --db-pool or PostgREST's default until then.
        services.AddSingleton(_ => ApiDataSource.Create(ConnectionStrings.WithHearthDefaults(apiConnectionString, prepared), options.SessionDefaults(),
            options.DbPool ?? PoolSizing.ExternalDefault, options.DbPoolAcquisitionTimeoutSeconds));
        services.AddSingleton(_ => AuthDataSource.Create(ConnectionStrings.WithHearthDefaults(connectionString, prepared)));
        services.AddSingleton<DatabasePools>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<SchemaCache>();
        services.AddSingleton<ApiPoolSizing>();
        services.AddHostedService<DatabaseLifetime>();
        return services;
    }

    private static string Parse(string url, string flag)
    {
        try { return ConnectionStrings.WithNetworkTimeouts(ConnectionStrings.FromUserInput(url)); }
        catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
        {
            throw new HearthStartupException($"{flag} is not a valid PostgreSQL URL or connection string: {e.Message}");
        }
    }
}
