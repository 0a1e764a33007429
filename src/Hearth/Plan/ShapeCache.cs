using System.Collections.Concurrent;
using Hearth.Request;
using Hearth.Schema;
using Hearth.Sql;

namespace Hearth.Plan;

/// <summary>
/// Everything that decides the SQL text of a request, with the values taken out (see RequestShape).
/// The schema model is compared by reference, so a schema reload starts a fresh set of keys.
/// </summary>
public sealed record ShapeKey(
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
    QueryParams Query);

/// <summary>A planned request: its plan and statements, with value slots still open.</summary>
public sealed record PlannedShape(object Plan, IReadOnlyList<SqlStatement> Statements);

/// <summary>
/// Plans and SQL built once per request shape and reused: a repeated shape costs a dictionary lookup
/// and a bind instead of planning and SQL generation. Bounded: cleared when it grows past its limit.
/// </summary>
public sealed class ShapeCache
{
    private const int Limit = 4096;
    private readonly ConcurrentDictionary<ShapeKey, PlannedShape> _entries = new();

    public int Count => _entries.Count;

    public PlannedShape GetOrAdd(ShapeKey key, Func<PlannedShape> build)
    {
        if (_entries.TryGetValue(key, out var hit)) return hit;
        var built = build();
        if (_entries.Count >= Limit) _entries.Clear();
        _entries[key] = built;
        return built;
    }

    public static ShapeKey KeyFor(SchemaModel model, ApiRequest request) => new(
        model, request.Method, request.Schema, request.Resource, request.Accept,
        request.Prefer.Count, request.Prefer.Return, request.Prefer.Resolution, request.Prefer.MissingDefault,
        request.Range, request.Body is { } b ? string.Join('\u0000', b.Keys) : "", request.Body?.IsArray ?? false, request.Query);
}
