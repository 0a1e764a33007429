using System.Text.Json.Nodes;

namespace Hearth.Errors;

/// <summary>Resolving a request against the schema cache: unknown names, relationships, functions, write rules.</summary>
public static partial class ApiErrors
{
    /// <summary>PGRST205: the table or view is not in the schema cache.</summary>
    public static ApiException TableNotFound(string schema, string name, string? hint = null) =>
        Error(404, "PGRST205", $"Could not find the table '{schema}.{name}' in the schema cache", hint: hint);

    /// <summary>PGRST205 with PostgREST's hint naming a table of the schema with a close name, when there is one.</summary>
    public static ApiException TableNotFound(Schema.SchemaModel model, string schema, string name) =>
        TableNotFound(schema, name, model.Similar.Table(schema, name) is { } similar ? $"Perhaps you meant the table '{schema}.{similar}'" : null);

    /// <summary>42703 in PostgreSQL's words, which is what PostgREST passes on.</summary>
    public static ApiException UnknownColumn(string relation, string column) => Error(400, "42703", $"column {relation}.{column} does not exist");

    /// <summary>
    /// Two embeds under one name (users!a(*),users!b(*)): PostgreSQL's 42712 for the subquery name PostgREST
    /// gives both (parent_name_depth), which is what PostgREST answers.
    /// </summary>
    public static ApiException DuplicateTableName(string name) => Error(400, "42712", $"table name \"{name}\" specified more than once");

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

    /// <summary>PostgreSQL's 42803 for a column next to an aggregate without GROUP BY (a bare count), which PostgREST passes on.</summary>
    public static ApiException UngroupedColumn(string column) =>
        Error(400, "42803", $"column \"{column}\" must appear in the GROUP BY clause or be used in an aggregate function");

    /// <summary>PGRST123: aggregate functions in select without --db-aggregates-enabled.</summary>
    public static ApiException AggregatesDisabled() => Error(400, "PGRST123", "Use of aggregate functions is not allowed");

    /// <summary>
    /// PGRST200: no relationship between the two (with the hint, if one was given). <paramref name="suggestion"/> is
    /// PostgREST's close name for whichever of the two it finds wrong (the parent when it has no relationships,
    /// else the target).
    /// </summary>
    public static ApiException RelationshipNotFound(string schema, string parent, string target, string? hint,
        (string Meant, string Written)? suggestion = null) =>
        Error(400, "PGRST200", $"Could not find a relationship between '{parent}' and '{target}' in the schema cache",
            $"Searched for a foreign key relationship between '{parent}' and '{target}'" + (hint is null ? "" : $" using the hint '{hint}'") +
            $" in the schema '{schema}', but no matches were found.",
            suggestion is var (meant, written) ? $"Perhaps you meant '{meant}' instead of '{written}'." : null);

    /// <summary>PGRST201: several relationships fit; <paramref name="details"/> describes each, <paramref name="options"/> the hints to pick one.</summary>
    public static ApiException AmbiguousRelationship(string parent, string target, JsonArray details, IEnumerable<string> options) =>
        new(new ApiError("PGRST201", details,
            $"Try changing '{target}' to one of the following: {string.Join(", ", options)}. Find the desired relationship in the 'details' key.",
            $"Could not embed because more than one relationship was found for '{parent}' and '{target}'") { Status = 300 });

    /// <summary>
    /// PGRST202: no function of that name takes these arguments (nor, for a POST, the body as its one
    /// unnamed parameter of the body's type). PostgREST's texts, which depend on the method and body type.
    /// </summary>
    /// <param name="similar">PostgREST's suggestion: a function of a close name, or this one with its closest parameter list.</param>
    public static ApiException FunctionNotFound(string schema, string name, IReadOnlyList<string> keys, bool isPost, Request.BodyKind body,
        string? similar)
    {
        var function = schema + "." + name;
        var args = string.Join(", ", keys.Order(StringComparer.Ordinal));
        var rawBody = isPost && body != Request.BodyKind.Json;
        var withArgs = keys.Count == 0 ? " without parameters" : " with parameter" + (keys.Count > 1 ? "s " : " ") + args;
        var searched = (isPost, body) switch
        {
            (true, Request.BodyKind.Text) => " with a single unnamed text parameter",
            (true, Request.BodyKind.Xml) => " with a single unnamed xml parameter",
            (true, Request.BodyKind.Binary) => " with a single unnamed bytea parameter",
            (true, _) => withArgs + " or with a single unnamed json/jsonb parameter",
            _ => withArgs,
        };
        return Error(404, "PGRST202",
            "Could not find the function " + function + (rawBody ? "" : keys.Count == 0 ? " without parameters" : $"({args})") + " in the schema cache",
            "Searched for the function " + function + searched + ", but no matches were found in the schema cache.",
            rawBody || similar is null ? null : $"Perhaps you meant to call the function {schema}.{similar}");
    }

    /// <summary>PGRST203: several overloads fit the arguments (PostgREST's wording, candidates as schema.name(arg => type, …)).</summary>
    public static ApiException AmbiguousFunction(IEnumerable<string> signatures) =>
        Error(300, "PGRST203", "Could not choose the best candidate function between: " + string.Join(", ", signatures),
            hint: "Try renaming the parameters or the function itself in the database so function overloading can be resolved");

    /// <summary>PGRST128: Prefer: handling=strict with max-affected on a function that does not return a set.</summary>
    public static ApiException MaxAffectedNeedsSetReturningFunction() =>
        Error(400, "PGRST128", "Function must return SETOF or TABLE when max-affected preference is used with handling=strict");

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
