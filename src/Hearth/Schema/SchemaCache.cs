using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// Holds the current <see cref="SchemaModel"/>; requests read it lock-free, reloads swap it whole. A request
/// takes <see cref="Current"/> once and keeps that instance to its end, and caches derived from the model
/// (the shape cache) key on the instance, so a reload swaps them all in one step: requests in flight finish
/// on the old model, new ones see the new one, and none sees a mix.
/// </summary>
public sealed class SchemaCache(NpgsqlDataSource db, Data.ApiDataSource api, HearthOptions options, ILogger<SchemaCache> logger)
{
    private volatile SchemaModel _current = SchemaModel.Empty(options.Schemas);
    // One load at a time: two quick reloads (SIGUSR1) must not publish an older snapshot last.
    private readonly SemaphoreSlim _reloading = new(1, 1);

    public SchemaModel Current => _current;

    /// <summary>
    /// Raised after a new model is published (old one, new one), for caches that would rather drop entries
    /// of the old model at once than wait for their own eviction.
    /// </summary>
    public event Action<SchemaModel, SchemaModel>? Reloaded;

    public async Task ReloadAsync(CancellationToken ct)
    {
        await _reloading.WaitAsync(ct);
        try
        {
            var model = await SchemaLoader.LoadAsync(db, api.Source, options.Schemas, options.DbExtraSearchPath, ct);
            var old = _current;
            _current = model;
            Hosting.HearthMetrics.SchemaCacheReloads.Add(1);
            logger.LogInformation("Schema cache loaded: {Relations} relations, {ForeignKeys} foreign keys in {Schemas}",
                model.Relations.Count(), model.ForeignKeys.Count, string.Join(",", options.Schemas));
            Reloaded?.Invoke(old, model);
        }
        finally
        {
            _reloading.Release();
        }
    }

    /// <summary>A reload while serving: on failure the old model stays in use and one line says why.</summary>
    public async Task<bool> TryReloadAsync(CancellationToken ct)
    {
        try
        {
            await ReloadAsync(ct);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Schema cache reload failed, the previous schema cache stays in use: {Message}", OneLine(e));
            return false;
        }
    }

    private static string OneLine(Exception e) =>
        (e is PostgresException p ? $"{p.MessageText} [SQLSTATE {p.SqlState}]" : e.Message).Split('\n', 2)[0];
}
