namespace Hearth.Schema;

public enum Volatility { Immutable, Stable, Volatile }

/// <summary>An input parameter of a function. Name is empty for unnamed parameters.</summary>
public sealed record RoutineParam(string Name, string Type, bool HasDefault, bool Variadic);

/// <summary>
/// A function exposed as /rpc/name. Result describes the columns when it returns rows (a table type,
/// a composite type, OUT/TABLE parameters); it is null for functions returning a scalar.
/// ResultTable is the exposed table or view whose row type it returns, which makes its results embeddable.
/// </summary>
public sealed record Routine(
    string Schema,
    string Name,
    IReadOnlyList<RoutineParam> Params,
    string ReturnType,
    bool ReturnsSet,
    Volatility Volatility,
    IReadOnlyList<Column>? Result,
    Relation? ResultTable)
{
    /// <summary>A single unnamed json/jsonb/text parameter receives the whole request body (PostgREST).</summary>
    public bool TakesWholeBody => Params.Count == 1 && Params[0].Name.Length == 0 && Params[0].Type is "json" or "jsonb" or "text";
}
