namespace Hearth.Request;

/// <summary>
/// The parsed query string of a request: the output of <see cref="QueryStringParser.Parse(string)"/>.
/// <para>
/// Shape: <c>select</c> becomes a tree of <see cref="SelectItem"/>; every non-reserved key becomes a
/// <see cref="ScopedFilter"/>; <c>or</c>/<c>and</c> keys become <see cref="ScopedLogic"/> trees;
/// <c>order</c>, <c>limit</c>/<c>offset</c> become <see cref="ScopedOrder"/>/<see cref="ScopedRange"/>.
/// Everything "scoped" carries an <c>EmbedPath</c> (relation names, empty = the root resource), taken
/// from the key prefix: <c>books.authors.order=...</c> has EmbedPath [books, authors].
/// All lists have structural equality (<see cref="ValueList{T}"/>).
/// </para>
/// </summary>
/// <param name="Select">Empty when <c>select</c> is absent or empty: both mean <c>*</c> in PostgREST.</param>
/// <param name="Filters">Filters in query-string order. In RPC-read mode, only those with an operator.</param>
/// <param name="LogicTrees">One per <c>or=</c>/<c>and=</c>/<c>not.or=</c>/<c>not.and=</c> key.</param>
/// <param name="Orders">One per <c>order</c> key, in query-string order (duplicates are kept).</param>
/// <param name="Ranges">limit/offset per embed path; the last duplicate wins.</param>
/// <param name="Columns"><c>columns=</c> (null when absent).</param>
/// <param name="OnConflict"><c>on_conflict=</c> (null when absent).</param>
/// <param name="RpcArguments">
/// Only in RPC-read mode (<see cref="QueryStringParser.Parse(string, bool)"/>): (name, value) of the
/// filter-like parameters whose value has no operator, i.e. function arguments, as PostgREST's qsParams.
/// The name is the field name of the key (<c>a.b</c> gives <c>b</c>, like PostgREST).
/// </param>
public sealed record QueryParams(
    IReadOnlyList<SelectItem> Select,
    IReadOnlyList<ScopedFilter> Filters,
    IReadOnlyList<ScopedLogic> LogicTrees,
    IReadOnlyList<ScopedOrder> Orders,
    IReadOnlyList<ScopedRange> Ranges,
    IReadOnlyList<string>? Columns,
    IReadOnlyList<string>? OnConflict,
    IReadOnlyList<KeyValuePair<string, string>> RpcArguments)
{
    /// <summary>
    /// What decides this query's shape, as text (<see cref="QueryShapeKey"/>): two queries with equal keys have
    /// equal shapes once their values are taken out (<see cref="ValueExtraction"/>), so the query cache can key on
    /// this string instead of hashing and comparing the tree. Null when only the tree can say (logic trees, RPC
    /// reads). Set by the parser; <c>with</c> copies it, which is right only for copies of the same shape (value
    /// extraction), so anything else that changes a query with <c>with</c> must set it to null. Not part of equality.
    /// </summary>
    public string? ShapeKey { get; init; }

    public bool Equals(QueryParams? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            Select.Equals(other.Select) && Filters.Equals(other.Filters) && LogicTrees.Equals(other.LogicTrees) &&
            Orders.Equals(other.Orders) && Ranges.Equals(other.Ranges) && Equals(Columns, other.Columns) &&
            Equals(OnConflict, other.OnConflict) && RpcArguments.Equals(other.RpcArguments));

    public override int GetHashCode() => HashCode.Combine(Select, Filters, LogicTrees, Orders, Ranges, Columns, OnConflict, RpcArguments);
}

/// <summary><c>[embed.path.]field[->json]=filter</c>.</summary>
public sealed record ScopedFilter(IReadOnlyList<string> EmbedPath, Field Field, Filter Filter);

/// <summary><c>[embed.path.][not.]or=(...)</c>; the key's <c>not</c> is folded into <see cref="LogicTree.Negated"/>.</summary>
public sealed record ScopedLogic(IReadOnlyList<string> EmbedPath, LogicTree Tree);

/// <summary><c>[embed.path.]order=term,term</c>.</summary>
public sealed record ScopedOrder(IReadOnlyList<string> EmbedPath, IReadOnlyList<OrderTerm> Terms);

/// <summary>
/// <c>[embed.path.]limit=</c> / <c>offset=</c>. Negative numbers are kept: PostgREST rejects a negative
/// limit later (PGRST103) and treats a negative offset as no offset.
/// </summary>
public sealed record ScopedRange(IReadOnlyList<string> EmbedPath, long? Limit, long? Offset);

/// <summary>
/// One order term. <see cref="Relation"/> is set for <c>rel(col).desc</c> (order by a to-one embed's
/// column). <see cref="Descending"/>/<see cref="NullsFirst"/> are null when not written, so the SQL stage
/// can leave the database defaults.
/// </summary>
public sealed record OrderTerm(Field Field, string? Relation, bool? Descending, bool? NullsFirst);
