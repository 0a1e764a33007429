using Hearth.Schema;

namespace Hearth.Plan;

public enum Cardinality { ManyToOne, OneToMany, OneToOne, ManyToMany }

/// <summary>
/// The join between a parent and a child relation; ColumnPairs read parent column = child column.
/// A computed relationship has no columns: the child rows are <see cref="Function"/> called on the parent's row.
/// </summary>
public sealed record Relationship(
    Cardinality Cardinality,
    Relation Parent,
    Relation Child,
    string Constraint,
    IReadOnlyList<(string Parent, string Child)> ColumnPairs,
    Junction? Junction = null,
    Routine? Function = null)
{
    /// <summary>A foreign key of a table to itself (one key, read as parent or children).</summary>
    public bool IsSelf => Function is null && Junction is null && Parent.Schema == Child.Schema && Parent.Name == Child.Name;

    public bool IsToOne => Cardinality is Cardinality.ManyToOne or Cardinality.OneToOne;

    public string CardinalityText => Cardinality switch
    {
        Cardinality.ManyToOne => "many-to-one",
        Cardinality.OneToMany => "one-to-many",
        Cardinality.OneToOne => "one-to-one",
        _ => "many-to-many",
    };
}

/// <summary>
/// A many-to-many link table: ParentPairs read parent column = junction column, ChildPairs child column =
/// junction column.
/// </summary>
public sealed record Junction(
    Relation Table,
    string ParentConstraint,
    string ChildConstraint,
    IReadOnlyList<(string Parent, string Junction)> ParentPairs,
    IReadOnlyList<(string Child, string Junction)> ChildPairs);
