using Hearth.Plan;
using Hearth.Request;
using Hearth.Schema;
using Hearth.Sql;
using Microsoft.Extensions.Caching.Memory;

namespace Hearth;

/// <summary>
/// Everything that decides a request's plan and SQL text, its values taken out (Request.ValueExtraction).
/// The schema model is compared by reference, so a schema reload starts a fresh set of keys. The query is keyed
/// by its shape key (a string: cheap to hash and compare) when the parser could write one, else by its shape's tree.
/// </summary>
public sealed record QueryKey(
    SchemaModel Model,
    string Method,
    string Schema,
    string Resource,
    MediaType Accept,
    CountPreference Count,
    ReturnPreference Return,
    ResolutionPreference Resolution,
    bool MissingDefault,
    RowRange Range,
    string PayloadKeys,
    bool PayloadIsArray,
    BodyKind? PayloadKind,
    bool SingleObjectParams,
    TargetKind Kind,
    object Query)
{
    public static QueryKey For(SchemaModel model, ApiRequest request) => new(
        model, request.Method, request.Schema, request.Resource, request.Accept,
        request.Prefer.Count, request.Prefer.Return, request.Prefer.Resolution, request.Prefer.MissingDefault,
        request.Range, request.Body is { } b ? string.Join('\u0000', b.Keys) : "", request.Body?.IsArray ?? false, request.Body?.Kind,
        request.Prefer.SingleObjectParams, request.Kind, request.Query.ShapeKey ?? (object)ValueExtraction.Extract(request.Query).Shape);

    /// <summary>
    /// The parts that tell most keys apart; Equals still compares them all. Hashing every string costs more than the
    /// rest of a lookup, and the query (the client's text, hashed with a per-process seed) spreads keys well.
    /// </summary>
    public override int GetHashCode() => HashCode.Combine(Query, Resource, Model);
}

/// <summary>A read planned once per shape: its plan (for the response) and its query, parameters still open.</summary>
public sealed record CachedRead(ReadPlan Plan, ApiQuery Query);

/// <summary>A write planned once per shape.</summary>
public sealed record CachedWrite(MutatePlan Plan, ApiQuery Query);

/// <summary>An /rpc call planned once per shape: the overload and its SQL (null for an EXPLAIN of a row-returning call, which is planned each time).</summary>
public sealed record CachedCall(RoutinePlan Plan, ApiQuery? Query);

/// <summary>
/// Plans and queries built once per request shape and reused: a repeated shape costs a lookup and a bind
/// instead of planning and SQL generation. Bounded by <see cref="Capacity"/> entries; past it,
/// Microsoft.Extensions.Caching.Memory compacts away the least recently used.
/// </summary>
public sealed class QueryCache : IDisposable
{
    public const int Capacity = 4096;

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity });

    /// <summary>Keys name the model they were planned on; after a reload the old model's entries can never hit again, so they go at once.</summary>
    public QueryCache(SchemaCache schema) => schema.Reloaded += (_, _) => _cache.Clear();
    private static readonly MemoryCacheEntryOptions OneEntry = new() { Size = 1 };

    /// <summary>The entry for <paramref name="key"/>, built from <paramref name="state"/> on a miss (a static builder: a hit allocates nothing).</summary>
    public CachedRead GetOrAdd<TState>(QueryKey key, TState state, Func<TState, CachedRead> build) => GetOrAddEntry(key, state, build);

    public CachedWrite GetOrAdd<TState>(QueryKey key, TState state, Func<TState, CachedWrite> build) => GetOrAddEntry(key, state, build);

    public CachedCall GetOrAdd<TState>(QueryKey key, TState state, Func<TState, CachedCall> build) => GetOrAddEntry(key, state, build);

    private T GetOrAddEntry<T, TState>(QueryKey key, TState state, Func<TState, T> build) where T : class
    {
        if (_cache.TryGetValue(key, out T? hit) && hit is not null) return hit;
        var built = build(state);
        _cache.Set(key, built, OneEntry);
        return built;
    }

    public void Dispose() => _cache.Dispose();
}
