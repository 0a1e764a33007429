using Hearth.Errors;
using System.Text.Json.Nodes;
using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>A resolved /rpc call: which overload, how its arguments arrive, and (for row results) the read over them.</summary>
public sealed record RoutinePlan(FunctionSource Call, string PayloadJson, ReadPlan? Rows)
{
    public Routine Routine => Call.Routine;
}

/// <summary>
/// Resolves /rpc/name against the schema cache: overloads are told apart by argument names (body keys for
/// POST, query parameters for GET); a single unnamed json/jsonb/text parameter, or Prefer:
/// params=single-object, receives the whole body. Unknown → 404 PGRST202.
/// </summary>
public static class RoutinePlanner
{
    public static RoutinePlan Plan(SchemaModel model, ApiRequest request, ReadPlanner.Options options)
    {
        var overloads = model.FindRoutines(request.Schema, request.Resource).ToList();
        string payload;
        IReadOnlyList<string> keys;
        if (request.IsRead)
        {
            var obj = new JsonObject();
            foreach (var (k, v) in request.Query.RpcArguments) obj[k] = JsonValue.Create(v);
            payload = obj.ToJsonString();
            keys = request.Query.RpcArguments.Select(a => a.Key).ToList();
        }
        else
        {
            payload = request.Body?.Json ?? "{}";
            keys = request.Body is { IsArray: false } b ? b.Keys : [];
        }

        Routine? chosen = null;
        var style = ArgumentStyle.Named;
        if (!request.IsRead && (request.Prefer.SingleObjectParams || request.Body is { IsArray: true } || (request.Body is { } body && body.Keys.Count == 0 && !payload.TrimStart().StartsWith('{'))))
        {
            chosen = overloads.FirstOrDefault(r => r.Params.Count == 1 && r.Params[0].Type is "json" or "jsonb" or "text" &&
                                                   (request.Prefer.SingleObjectParams || r.TakesWholeBody));
            style = ArgumentStyle.WholeBody;
        }
        if (chosen is null)
        {
            style = ArgumentStyle.Named;
            chosen = overloads
                .Where(r => r.Params.All(p => p.Name.Length > 0) && keys.All(k => r.Params.Any(p => p.Name == k)) &&
                            r.Params.All(p => p.HasDefault || keys.Contains(p.Name)))
                .OrderBy(r => r.Params.Count)
                .FirstOrDefault();
        }
        if (chosen is null && !request.IsRead)
        {
            chosen = overloads.FirstOrDefault(r => r.TakesWholeBody);
            style = ArgumentStyle.WholeBody;
        }
        if (chosen is null) throw NotFound(request.Schema, request.Resource, keys, request.IsRead, overloads.FirstOrDefault());

        var arguments = style == ArgumentStyle.Named ? chosen.Params.Where(p => keys.Contains(p.Name)).ToList() : [.. chosen.Params];
        var call = new FunctionSource(chosen, arguments, style) { ResponseSettings = options.ResponseSettings };
        ReadPlan? rows = null;
        if (chosen.Result is { } result)
        {
            var relation = chosen.ResultTable ?? new Relation(chosen.Schema, chosen.Name, RelationKind.View, result, []);
            rows = ReadPlanner.Plan(model, relation, request.Query, request.Range, options) with { Source = call };
        }
        return new RoutinePlan(call, payload, rows);
    }

    private static ApiException NotFound(string schema, string name, IReadOnlyList<string> keys, bool isGet, Routine? sameName) =>
        ApiErrors.FunctionNotFound(schema, name, keys, isGet, sameName?.Params.Select(p => p.Name).ToList());
}
