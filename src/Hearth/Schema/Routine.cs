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
    /// <summary>
    /// The exposed table or view whose row type is the function's only argument: the function is then a computed
    /// field of it (scalar result) or a computed relationship (rows of an exposed relation), as in PostgREST.
    /// </summary>
    public Relation? RowArgument { get; init; }

    /// <summary>pg_proc.prorows: a set-returning function declared ROWS 1 is a to-one computed relationship.</summary>
    public double EstimatedRows { get; init; }
}
