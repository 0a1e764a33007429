using Hearth.Response;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>Errors found while resolving a request against the schema cache.</summary>
public static class PlanErrors
{
    /// <summary>As PostgreSQL words it (42703), which is what PostgREST passes on.</summary>
    public static ApiException UnknownColumn(Relation relation, string column) =>
        new(new ApiError("42703", null, null, $"column {relation.Name}.{column} does not exist") { Status = 400 });

    public static ApiException NotEmbedded(string name) =>
        new(new ApiError("PGRST108", null,
            $"Verify that '{name}' is included in the 'select' query parameter.",
            $"'{name}' is not an embedded resource in this request") { Status = 400 });

    public static ApiException AggregatesDisabled() =>
        new(new ApiError("PGRST123", null, null, "Use of aggregate functions is not allowed") { Status = 400 });

    public static ApiException NotToOne(string parent, string name) =>
        new(new ApiError("PGRST118", $"'{parent}' and '{name}' do not form a many-to-one or one-to-one relationship", null,
            $"A related order on '{name}' is not possible") { Status = 400 });

    /// <summary>A cast to a type the database does not have, worded as PostgreSQL (42704), which PostgREST passes on.</summary>
    public static ApiException UnknownType(string cast) =>
        new(new ApiError("42704", null, null, $"type \"{cast}\" does not exist") { Status = 400 });

    /// <summary>More select items than PostgreSQL allows in one select list, in PostgreSQL's words (54011).</summary>
    public static ApiException TooManyColumns(int limit) =>
        new(new ApiError("54011", null, "Select fewer columns.", $"target lists can have at most {limit} entries") { Status = 400 });
}
