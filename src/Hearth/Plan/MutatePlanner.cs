using Hearth.Errors;
using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>Resolves POST/PATCH/PUT/DELETE against the schema cache, with PostgREST's checks.</summary>
public static class MutatePlanner
{
    public static MutatePlan Plan(SchemaModel model, Relation relation, ApiRequest request, ReadPlanner.Options options)
    {
        var kind = request.Method switch
        {
            "POST" => MutationKind.Insert,
            "PATCH" => MutationKind.Update,
            "PUT" => MutationKind.Put,
            _ => MutationKind.Delete,
        };
        // One read plan gives both halves: its root filters/order/limit pick the rows to change, the
        // rest (select, embedded filters) shapes the representation read back from the written rows.
        // --db-max-rows limits what is read, not which rows a write changes or returns (as in PostgREST).
        var full = ReadPlanner.Plan(model, relation, request.Query, RowRange.All, options with { MaxRows = null });
        var limited = kind is MutationKind.Update or MutationKind.Delete;
        if (limited && (full.Limit is not null || full.Offset is not null) && full.Order.Count == 0)
            throw ApiErrors.LimitWithoutOrder();
        // The representation lists changed rows in the requested order.
        var returning = full with { Conditions = [], Order = limited ? full.Order : [], Limit = null, Offset = null, Source = WrittenRowsSource.Instance };
        var conditions = full.Conditions.Where(c => c is not EmbedPresentCondition).ToList();

        var columns = kind == MutationKind.Delete ? [] : WrittenColumns(relation, request);
        IReadOnlyList<Column>? conflict = null;
        if (kind == MutationKind.Insert && request.Prefer.Resolution != ResolutionPreference.None)
            conflict = ConflictColumns(relation, request.Query.OnConflict);
        IReadOnlyList<PutKeyValue>? putKey = null;
        if (kind == MutationKind.Put)
        {
            putKey = PutKey(relation, request);
            conflict = relation.PrimaryKey.Select(k => relation.FindColumn(k)!).ToList();
        }
        if (kind == MutationKind.Insert && (full.Conditions.Count > 0 || full.Limit is not null))
            conditions = []; // PostgREST ignores filters on POST

        return new MutatePlan(kind, relation, full.Alias, columns, conditions,
            limited ? full.Order : [],
            limited ? full.Limit : null,
            limited ? full.Offset : null,
            conflict,
            kind == MutationKind.Put ? ResolutionPreference.MergeDuplicates : request.Prefer.Resolution,
            request.Prefer.MissingDefault && kind == MutationKind.Insert,
            returning)
        { PutKey = putKey };
    }

    private static List<Column> WrittenColumns(Relation relation, ApiRequest request)
    {
        var body = request.Body ?? throw ApiErrors.InvalidPayload("Empty or invalid json");
        if (request.Method == "PUT" && body.IsArray && body.RowCount != 1)
            throw ApiErrors.PutNeedsOneObject();
        var names = request.Query.Columns ?? body.Keys;
        return names.Select(name => relation.FindColumn(name) ?? throw ApiErrors.ColumnNotFound(relation.Name, name)).ToList();
    }

    private static List<Column>? ConflictColumns(Relation relation, IReadOnlyList<string>? onConflict)
    {
        var names = onConflict ?? relation.PrimaryKey;
        // As PostgREST: no primary key and no on_conflict means no conflict target, so a plain insert.
        if (names.Count == 0) return null;
        return names.Select(n => relation.FindColumn(n) ?? throw ApiErrors.UnknownColumn(relation.Name, n)).ToList();
    }

    /// <summary>
    /// PUT replaces one row named by its full primary key: eq filters on exactly the key. Whether the body
    /// matches them depends on the values, so it is checked per request (<see cref="CheckPutPayload"/>).
    /// </summary>
    private static List<PutKeyValue> PutKey(Relation relation, ApiRequest request)
    {
        if (request.Query.Ranges.Any(r => r.EmbedPath.Count == 0))
            throw ApiErrors.PutWithRange();
        var filters = request.Query.Filters.Where(f => f.EmbedPath.Count == 0).ToList();
        var pk = relation.PrimaryKey;
        var exact = pk.Count > 0 && filters.Count == pk.Count && request.Query.LogicTrees.Count == 0 &&
            filters.All(f => f.Filter is { Operator: FilterOperator.Eq, Negated: false, Quantifier: null } && f.Field.JsonPath.Count == 0 && pk.Contains(f.Field.Name)) &&
            pk.All(k => filters.Any(f => f.Field.Name == k));
        if (!exact)
            throw ApiErrors.PutNeedsPrimaryKey();
        return filters.Select(f => new PutKeyValue(f.Field.Name, f.Filter.Value)).ToList();
    }

    /// <summary>PGRST115 unless the body carries the URL's key values (PUT).</summary>
    public static void CheckPutPayload(MutatePlan plan, Payload body, IReadOnlyList<string> operands)
    {
        if (plan.PutKey is not { } key) return;
        using var doc = System.Text.Json.JsonDocument.Parse(body.Json);
        var values = doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? doc.RootElement[0] : doc.RootElement;
        foreach (var (column, value) in key)
        {
            var urlValue = value switch
            {
                ParamValue p => operands[p.Index],
                SingleValue s => s.Text,
                _ => throw new InvalidOperationException("a PUT key filter is always eq with a value"),
            };
            if (!values.TryGetProperty(column, out var v) ||
                (v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : v.GetRawText()) != urlValue)
                throw ApiErrors.PutKeyMismatch();
        }
    }
}
