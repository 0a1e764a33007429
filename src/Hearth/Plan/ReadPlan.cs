using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>
/// One level of a read (the root resource or an embedded one), resolved against the schema cache:
/// every column and relationship named here exists. Alias is the SQL alias of this level's relation.
/// </summary>
public sealed record ReadPlan(
    Relation Relation,
    string Alias,
    IReadOnlyList<PlannedItem> Items,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<OrderItem> Order,
    long? Limit,
    long? Offset)
{
    /// <summary>When set, the level reads from this CTE (a write's RETURNING rows, a function's result) instead of its table.</summary>
    public PlanSource? Source { get; init; }

    /// <summary>Root only: whether the statement returns response.headers/status (see ReadPlanner.Options).</summary>
    public bool ResponseSettings { get; init; } = true;

    public IEnumerable<EmbedItem> Embeds => Items.OfType<EmbedItem>();

    public bool IsGrouped => Items.OfType<ColumnItem>().Any(c => c.Aggregate is not null);
}

/// <summary>A column of a relation, possibly followed by a JSON path (meta->a->>b).</summary>
public sealed record ColumnExpr(Column Column, IReadOnlyList<JsonPathStep> Path);

public abstract record PlannedItem;

/// <summary><c>*</c>: every column of the level's relation.</summary>
public sealed record StarItem : PlannedItem;

/// <summary>A selected column or aggregate. Expr is null for count().</summary>
public sealed record ColumnItem(ColumnExpr? Expr, string OutputName, DbType? Cast, AggregateFunction? Aggregate, DbType? AggregateCast) : PlannedItem;

/// <summary>An embedded resource: a child plan joined through a relationship.</summary>
public sealed record EmbedItem(ReadPlan Child, Relationship Relationship, string OutputName, bool Inner, bool Spread) : PlannedItem
{
    public bool ToOne => Relationship.IsToOne;
}

public abstract record Condition;

/// <summary>column op value, e.g. age > $1.</summary>
public sealed record CompareCondition(ColumnExpr Left, Filter Filter) : Condition;

/// <summary>An and/or group; Negated wraps it in NOT.</summary>
public sealed record LogicCondition(bool IsOr, bool Negated, IReadOnlyList<Condition> Children) : Condition;

/// <summary>
/// Whether an embedded resource produced a value: used by !inner and by <c>rel=not.is.null</c> / <c>rel=is.null</c>.
/// </summary>
public sealed record EmbedPresentCondition(EmbedItem Embed, bool Present) : Condition;

/// <summary>An order term on a column of this level, or (Related set) on a column of a to-one embed.</summary>
public sealed record OrderItem(ColumnExpr Expr, EmbedItem? Related, bool? Descending, bool? NullsFirst);

/// <summary>Where a root level reads its rows from when it is not the relation itself.</summary>
public abstract record PlanSource;

/// <summary>The rows a write changed, as its RETURNING gives them (a write's representation reads from there).</summary>
public sealed record WrittenRowsSource : PlanSource
{
    public static readonly WrittenRowsSource Instance = new();
}

public enum ArgumentStyle { Named, WholeBody }

/// <summary>
/// A function call as the row source of a read (table-returning functions accept the full read grammar).
/// Arguments come from the statement's pgrst_args CTE (named) or pgrst_payload (the whole body).
/// </summary>
public sealed record FunctionSource(Schema.Routine Routine, IReadOnlyList<Schema.RoutineParam> Arguments, ArgumentStyle Style) : PlanSource
{
    /// <summary>Whether a scalar call's statement returns response.headers/status (see ReadPlanner.Options).</summary>
    public bool ResponseSettings { get; init; } = true;
}
