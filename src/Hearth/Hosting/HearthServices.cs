using Hearth.Data;
using Hearth.Migrations;
using Hearth.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>The services `serve` and `migrate` share: the data source (embedded or external) and migrations.</summary>
public static class HearthServices
{
    public static IServiceCollection AddHearthDatabase(this IServiceCollection services, HearthOptions options)
    {
        services.AddSingleton(options);
        string connectionString;
        string apiConnectionString;
        if (options.DatabaseUrl is { } url)
        {
            try { connectionString = ConnectionStrings.FromUserInput(url); }
            catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
            {
                throw new HearthStartupException($"--database-url is not a valid PostgreSQL URL or connection string: {e.Message}");
            }
            apiConnectionString = connectionString; // the URL's user is the authenticator, as with PostgREST
        }
        else
        {
            var layout = DataDirLayout.For(options.DataDir);
            services.AddSingleton(layout);
            services.AddSingleton(sp => new EmbeddedPostgres(layout, sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hearth.Postgres"), options.WalArchiveDir));
            connectionString = layout.ConnectionString;
            apiConnectionString = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Username = ApiDataSource.AuthenticatorRole }.ConnectionString;
        }
        services.AddNpgsqlDataSource(ConnectionStrings.ForAdmin(ConnectionStrings.WithHearthDefaults(connectionString)));
        // Sized for real by ApiPoolSizing once the server's limits are known; --db-pool or PostgREST's default until then.
        services.AddSingleton(_ => ApiDataSource.Create(ConnectionStrings.WithHearthDefaults(apiConnectionString), options.SessionDefaults(),
            options.DbPool ?? PoolSizing.ExternalDefault, options.DbPoolAcquisitionTimeoutSeconds));
        services.AddSingleton(_ => AuthDataSource.Create(ConnectionStrings.WithHearthDefaults(connectionString)));
        services.AddSingleton<DatabasePools>();
        services.AddSingleton<MigrationRunner>();
        services.AddSingleton<SchemaCache>();
        services.AddHostedService<DatabaseLifetime>();
        services.AddHostedService<ApiPoolSizing>(); // after DatabaseLifetime: hosted services start in order
        return services;
    }
}
