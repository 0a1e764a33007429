namespace Hearth.Request;

/// <summary>One entry of <c>select=</c>: <see cref="StarSelect"/>, <see cref="FieldSelect"/> or <see cref="EmbedSelect"/>.</summary>
public abstract record SelectItem;

/// <summary>A bare <c>*</c>.</summary>
public sealed record StarSelect : SelectItem;

public enum AggregateFunction { Count, Sum, Avg, Max, Min }

public enum JoinType { Inner, Left }

/// <summary>
/// A column (optionally a JSON path), with alias, cast and aggregate:
/// <c>alias:col->key::cast.sum()::aggcast</c>. A bare <c>count()</c> is represented like PostgREST does,
/// as <see cref="Aggregate"/> = Count over the field <c>*</c> (<see cref="IsCountStar"/>).
/// </summary>
public sealed record FieldSelect(
    Field Field,
    string? Alias = null,
    string? Cast = null,
    AggregateFunction? Aggregate = null,
    string? AggregateCast = null) : SelectItem
{
    /// <summary>True for <c>count()</c>, i.e. <c>count(*)</c>.</summary>
    public bool IsCountStar => Aggregate == AggregateFunction.Count && Field.Name == "*" && Field.JsonPath.Count == 0;

    /// <summary>
    /// The JSON key this item gets in the response when nothing else renames it: the alias; else for an
    /// aggregate the function name (what PostgreSQL calls an unaliased <c>sum(x)</c>); else for a JSON
    /// path its last key (see <see cref="Field.JsonOutputName"/>); else the column name.
    /// Inside a spread embed PostgREST also aliases aggregates with the function name, which agrees.
    /// </summary>
    public string OutputName =>
        Alias
        ?? (Aggregate is { } agg ? agg.ToString().ToLowerInvariant()
            : Field.JsonPath.Count > 0 ? Field.JsonOutputName
            : Field.Name);
}

/// <summary>
/// An embedded resource <c>alias:rel!hint!inner(children)</c>, or a spread <c>...rel!hint(children)</c>
/// (<see cref="IsSpread"/>; spreads take no alias). <see cref="Children"/> may be empty (<c>rel()</c>).
/// </summary>
public sealed record EmbedSelect(
    string Relation,
    string? Alias,
    string? Hint,
    JoinType? JoinType,
    bool IsSpread,
    IReadOnlyList<SelectItem> Children) : SelectItem
{
    /// <summary>The JSON key of the embedded value (unused for spreads).</summary>
    public string OutputName => Alias ?? Relation;
}
