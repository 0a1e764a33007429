using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Schema;

/// <summary>Holds the current <see cref="SchemaModel"/>; requests read it lock-free, reloads swap it whole.</summary>
public sealed class SchemaCache(NpgsqlDataSource db, Data.ApiDataSource api, HearthOptions options, ILogger<SchemaCache> logger)
{
    private volatile SchemaModel _current = SchemaModel.Empty(options.Schemas);
    // One load at a time: two quick reloads (SIGUSR1) must not publish an older snapshot last.
    private readonly SemaphoreSlim _reloading = new(1, 1);

    public SchemaModel Current => _current;

    public async Task ReloadAsync(CancellationToken ct)
    {
        await _reloading.WaitAsync(ct);
        try
        {
            var model = await SchemaLoader.LoadAsync(db, api.Source, options.Schemas, options.DbExtraSearchPath, ct);
            _current = model;
            Hosting.HearthMetrics.SchemaCacheReloads.Add(1);
            logger.LogInformation("Schema cache loaded: {Relations} relations, {ForeignKeys} foreign keys in {Schemas}",
                model.Relations.Count(), model.ForeignKeys.Count, string.Join(",", options.Schemas));
        }
        finally
        {
            _reloading.Release();
        }
    }
}
