using Hearth.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Hearth.TypeGen;

/// <summary>
/// Where `gen types typescript` reads the database: --database-url as given; a data dir whose Hearth is
/// running, over that server's private socket (read only); otherwise the data dir's embedded PostgreSQL,
/// started for the moment with the usual startup (baseline, pending migrations), then stopped.
/// </summary>
public static class GenTypesRun
{
    public static async Task<int> RunAsync(HearthOptions options, TextWriter output, CancellationToken ct)
    {
        if (options.DatabaseUrl is null && InUse(options.DataDir))
            options = options with
            {
                DatabaseUrl = DataDirLayout.For(options.DataDir).ConnectionString,
                MigrationsDir = null, SupabaseDir = null, SeedFiles = [], // the running server owns them
            };
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddHearthConsole();
        builder.Logging.AddFilter("Hearth", Microsoft.Extensions.Logging.LogLevel.Warning); // stdout is the types; stderr stays quiet
        builder.Services.AddHearthDatabase(options);
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var model = host.Services.GetRequiredService<Schema.SchemaCache>().Current;
            var facts = await TypeFacts.LoadAsync(host.Services.GetRequiredService<NpgsqlDataSource>(), options.Schemas, ct);
            await output.WriteAsync(new TypeScriptTypes(model, facts, options.Schemas).Generate());
            await output.FlushAsync(ct);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
        return 0;
    }

    private static bool InUse(string dataDir)
    {
        var layout = DataDirLayout.For(dataDir);
        if (!Directory.Exists(layout.ClusterDir)) return false;
        try
        {
            using var _ = DataDirLock.Acquire(layout.Root);
            return false;
        }
        catch (HearthStartupException)
        {
            return true;
        }
    }
}
