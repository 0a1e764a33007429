using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Plan;

public enum MutationKind { Insert, Update, Delete, Put }

/// <summary>
/// A write resolved against the schema cache: which columns the payload writes, which rows the filters
/// pick (update/delete), the conflict handling (upsert), and the read plan of the representation,
/// which reads the written rows back (WrittenRowsSource).
/// </summary>
public sealed record MutatePlan(
    MutationKind Kind,
    Relation Relation,
    string Alias,
    IReadOnlyList<Column> Columns,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<OrderItem> Order,
    long? Limit,
    long? Offset,
    IReadOnlyList<Column>? ConflictColumns,
    ResolutionPreference Resolution,
    bool MissingDefault,
    ReadPlan Returning)
{
    public bool IsUpsert => ConflictColumns is not null;

    /// <summary>PUT: the key columns and the URL operands naming them, checked against each request's body.</summary>
    public IReadOnlyList<PutKeyValue>? PutKey { get; init; }
}

/// <summary>A primary-key column of a PUT and the eq filter's operand for it.</summary>
public sealed record PutKeyValue(string Column, FilterValue Value);
