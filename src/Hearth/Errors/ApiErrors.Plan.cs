using System.Text.Json.Nodes;

namespace Hearth.Errors;

/// <summary>Resolving a request against the schema cache: unknown names, relationships, functions, write rules.</summary>
public static partial class ApiErrors
{
    /// <summary>PGRST205: the table or view is not in the schema cache.</summary>
    public static ApiException TableNotFound(string schema, string name, string? hint = null) =>
        Error(404, "PGRST205", $"Could not find the table '{schema}.{name}' in the schema cache", hint: hint);

    /// <summary>42703 in PostgreSQL's words, which is what PostgREST passes on.</summary>
    public static ApiException UnknownColumn(string relation, string column) => Error(400, "42703", $"column {relation}.{column} does not exist");

    /// <summary>A cast to a type the database does not have, worded as PostgreSQL (42704), which PostgREST passes on.</summary>
    public static ApiException UnknownType(string cast) => Error(400, "42704", $"type \"{cast}\" does not exist");

    /// <summary>More select items than PostgreSQL allows in one select list, in PostgreSQL's words (54011).</summary>
    public static ApiException TooManyColumns(int limit) => Error(400, "54011", $"target lists can have at most {limit} entries", hint: "Select fewer columns.");

    /// <summary>PGRST108: a filter/order/limit on an embed the select does not have.</summary>
    public static ApiException NotEmbedded(string name) =>
        Error(400, "PGRST108", $"'{name}' is not an embedded resource in this request", hint: $"Verify that '{name}' is included in the 'select' query parameter.");

    /// <summary>PGRST118: order=rel(col) on an embed that is not to-one.</summary>
    public static ApiException RelatedOrderNotToOne(string parent, string name) =>
        Error(400, "PGRST118", $"A related order on '{name}' is not possible", $"'{parent}' and '{name}' do not form a many-to-one or one-to-one relationship");

    /// <summary>PGRST123: aggregate functions in select without --db-aggregates-enabled.</summary>
    public static ApiException AggregatesDisabled() => Error(400, "PGRST123", "Use of aggregate functions is not allowed");

    /// <summary>PGRST200: no relationship between the two (with the hint, if one was given).</summary>
    public static ApiException RelationshipNotFound(string schema, string parent, string target, string? hint) =>
        Error(400, "PGRST200", $"Could not find a relationship between '{parent}' and '{target}' in the schema cache",
            $"Searched for a foreign key relationship between '{parent}' and '{target}'" + (hint is null ? "" : $" using the hint '{hint}'") +
            $" in the schema '{schema}', but no matches were found.");

    /// <summary>PGRST201: several relationships fit; <paramref name="details"/> describes each, <paramref name="options"/> the hints to pick one.</summary>
    public static ApiException AmbiguousRelationship(string parent, string target, JsonArray details, IEnumerable<string> options) =>
        new(new ApiError("PGRST201", details,
            $"Try changing '{target}' to one of the following: {string.Join(", ", options)}. Find the desired relationship in the 'details' key.",
            $"Could not embed because more than one relationship was found for '{parent}' and '{target}'") { Status = 300 });

    /// <summary>PGRST202: no function of that name takes these arguments.</summary>
    public static ApiException FunctionNotFound(string schema, string name, IReadOnlyList<string> keys, bool isGet, IReadOnlyList<string>? sameNameParams)
    {
        var args = string.Join(", ", keys.Order(StringComparer.Ordinal));
        var withArgs = keys.Count == 0 ? "without parameters" : $"with parameters {args}";
        return Error(404, "PGRST202",
            keys.Count == 0
                ? $"Could not find the function {schema}.{name} without parameters in the schema cache"
                : $"Could not find the function {schema}.{name}({args}) in the schema cache",
            $"Searched for the function {schema}.{name} {withArgs}" + (isGet ? "" : " or with a single unnamed json/jsonb parameter") +
            ", but no matches were found in the schema cache.",
            sameNameParams is null ? null : $"Perhaps you meant to call the function {schema}.{name}({string.Join(", ", sameNameParams)})");
    }

    /// <summary>PGRST204: a payload key (or columns= name) that is not a column.</summary>
    public static ApiException ColumnNotFound(string relation, string column) =>
        Error(400, "PGRST204", $"Could not find the '{column}' column of '{relation}' in the schema cache");

    /// <summary>PGRST109: PATCH/DELETE with limit but no order.</summary>
    public static ApiException LimitWithoutOrder() =>
        Error(400, "PGRST109", "A 'limit' was applied without an explicit 'order'", hint: "Apply an 'order' using unique column(s)");

    /// <summary>PGRST105: PUT must filter on exactly the primary key with eq.</summary>
    public static ApiException PutNeedsPrimaryKey() => Error(405, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators");

    /// <summary>PGRST114: PUT with limit/offset.</summary>
    public static ApiException PutWithRange() => Error(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT");

    /// <summary>PGRST115: PUT whose body disagrees with the URL's key.</summary>
    public static ApiException PutKeyMismatch() => Error(400, "PGRST115", "Payload values do not match URL in primary key column(s)");

    /// <summary>PGRST102 for PUT with an array of several objects.</summary>
    public static ApiException PutNeedsOneObject() => InvalidPayload("Expected a single object for PUT");
}
