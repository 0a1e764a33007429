using Hearth.Errors;
using System.Text.Json.Nodes;
using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>
/// A resolved /rpc call: which overload, how its arguments arrive, and (for row results) the read over them. It
/// holds no argument values (those are the request's payload, <see cref="RoutinePlanner.Payload"/>), so it is
/// planned once per request shape and cached.
/// </summary>
public sealed record RoutinePlan(FunctionSource Call, ReadPlan? Rows)
{
    public Routine Routine => Call.Routine;
}

/// <summary>
/// Resolves /rpc/name against the schema cache as PostgREST does: an overload matches when the argument
/// names (query parameters for GET, body keys for POST) are its required parameters plus any of its
/// optional ones; failing that, a POST falls back to a function with one unnamed parameter of the body's
/// type (json/jsonb for JSON, text for text/plain, xml for text/xml, bytea for application/octet-stream),
/// which receives the whole body. No candidate → 404 PGRST202; several → 300 PGRST203.
/// Prefer: params=single-object (PostgREST before 12) still passes the body to a single json/jsonb/text parameter.
/// </summary>
public static class RoutinePlanner
{
    /// <summary>
    /// The call's payload, sent per request as the statement's one payload parameter: the query's arguments as a JSON
    /// object for GET, the body for POST (JSON text, or the raw text/xml/bytes).
    /// </summary>
    public static object Payload(ApiRequest request)
    {
        if (!request.IsRead) return request.Body is { Raw: { } raw } ? raw : request.Body?.Json ?? "{}";
        var obj = new JsonObject();
        foreach (var (k, v) in request.Query.RpcArguments) obj[k] = JsonValue.Create(v);
        return obj.ToJsonString();
    }

    /// <summary>The argument names that choose the overload: the query's for GET, the body's keys for a JSON object body.</summary>
    private static IReadOnlyList<string> ArgumentNames(ApiRequest request) =>
        request.IsRead ? request.Query.RpcArguments.Select(a => a.Key).Distinct().ToList()
        : request.Body is { Raw: null, IsArray: false } b ? b.Keys : [];

    public static RoutinePlan Plan(SchemaModel model, ApiRequest request, ReadPlanner.Options options)
    {
        var overloads = model.FindRoutines(request.Schema, request.Resource).ToList();
        var isPost = !request.IsRead;
        var kind = isPost ? request.Body?.Kind ?? BodyKind.Json : BodyKind.Json;
        var keys = ArgumentNames(request);

        Routine chosen;
        ArgumentStyle style;
        if (isPost && request.Prefer.SingleObjectParams &&
            overloads.FirstOrDefault(r => r.Params.Count == 1 && r.Params[0].Type is "json" or "jsonb" or "text") is { } singleObject)
            (chosen, style) = (singleObject, ArgumentStyle.WholeBody);
        else
        {
            var matches = overloads.Where(r => MatchesArguments(r, keys, isPost, kind)).ToList();
            var fallbacks = overloads.Where(r => !matches.Contains(r) && TakesWholeBody(r, isPost, kind)).ToList();
            (chosen, style) = (matches.Count, fallbacks.Count) switch
            {
                (1, _) => (matches[0], ArgumentStyle.Named),
                (> 1, _) => throw ApiErrors.AmbiguousFunction(matches.Select(Signature)),
                (0, 1) => (fallbacks[0], ArgumentStyle.WholeBody),
                (0, > 1) => throw ApiErrors.AmbiguousFunction(fallbacks.Select(Signature)),
                _ => throw ApiErrors.FunctionNotFound(request.Schema, request.Resource, keys, isPost, kind, Similar(model, request, overloads, keys)),
            };
        }

        var arguments = style == ArgumentStyle.Named ? chosen.Params.Where(p => keys.Contains(p.Name)).ToList() : [.. chosen.Params];
        var call = new FunctionSource(chosen, arguments, style) { ResponseSettings = options.ResponseSettings };
        ReadPlan? rows = null;
        if (chosen.Result is { } result)
        {
            var relation = chosen.ResultTable ?? new Relation(chosen.Schema, chosen.Name, RelationKind.View, result, []);
            rows = ReadPlanner.Plan(model, relation, request.Query, request.Range, options) with { Source = call };
        }
        return new RoutinePlan(call, rows);
    }

    /// <summary>
    /// PostgREST's rule: the argument names are exactly the required parameters plus any of the optional
    /// ones; a function without parameters matches no arguments (but not a raw text/xml/bytes body).
    /// </summary>
    private static bool MatchesArguments(Routine r, IReadOnlyList<string> keys, bool isPost, BodyKind kind)
    {
        if (r.Params.Count == 0) return keys.Count == 0 && !(isPost && kind != BodyKind.Json);
        if (r.Params.Any(p => p.Name.Length == 0)) return false; // unnamed parameters take no named arguments
        var required = r.Params.Where(p => !p.HasDefault).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var optional = r.Params.Where(p => p.HasDefault).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var given = keys.ToHashSet(StringComparer.Ordinal);
        given.ExceptWith(optional);
        return given.SetEquals(required);
    }

    /// <summary>A POST to a function with one unnamed parameter of the body's type: the whole body is its argument.</summary>
    private static bool TakesWholeBody(Routine r, bool isPost, BodyKind kind) =>
        isPost && r.Params is [{ Name.Length: 0 } p] && (kind, p.Type) is
            (BodyKind.Json, "json" or "jsonb") or (BodyKind.Text, "text") or (BodyKind.Xml, "xml") or (BodyKind.Binary, "bytea");

    /// <summary>
    /// PostgREST's PGRST202 suggestion: without a function of that name, a function of a close name (score 0.75);
    /// else the name with the overload whose parameter list, written "(a, b)" in sorted order, is closest to the
    /// arguments written the same way (default score).
    /// </summary>
    private static string? Similar(SchemaModel model, ApiRequest request, List<Routine> overloads, IReadOnlyList<string> keys)
    {
        if (overloads.Count == 0) return model.Similar.Routine(request.Schema, request.Resource);
        static string ParamList(IEnumerable<string> names) => "(" + string.Join(", ", names.Order(StringComparer.Ordinal)) + ")";
        return new FuzzyNameSet(overloads.Select(o => ParamList(o.Params.Select(p => p.Name)))).Best(ParamList(keys)) is { } closest
            ? request.Resource + closest : null;
    }

    /// <summary>schema.name(arg => type, …), as PGRST203 lists candidates.</summary>
    private static string Signature(Routine r) =>
        $"{r.Schema}.{r.Name}({string.Join(", ", r.Params.Select(p => $"{p.Name} => {p.Type}"))})";
}
