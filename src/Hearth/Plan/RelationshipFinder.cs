using Hearth.Errors;
using System.Text.Json.Nodes;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>
/// Finds how a parent embeds a child named in select, from the foreign keys in the schema cache:
/// many-to-one (the parent holds the key), one-to-many / one-to-one (the child holds it), many-to-many
/// (through a junction table whose primary key covers both keys), and computed relationships (functions of
/// the parent's row returning rows of a relation). The target and the hint (!name) select among them by
/// PostgREST's rules; none → PGRST200; several → 300 PGRST201.
/// </summary>
public static class RelationshipFinder
{
    public static Relationship Find(SchemaModel model, Relation parent, string target, string? hint)
    {
        var candidates = Candidates(model, parent, target).Where(r => Fits(r, target, hint)).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw NotFound(model, parent, target, hint),
            _ => throw Ambiguous(parent, target, candidates),
        };
    }

    /// <summary>
    /// PostgREST's matching. A computed relationship by its function's name. A self-reference: its table name
    /// is the children (the hint, if any, naming their key column), its key column the parent. Otherwise the
    /// target is the related table, or — only when that is not a view — the constraint or the key column;
    /// a hint (with the table as target) is the constraint, a key column on either side, or the junction table.
    /// </summary>
    private static bool Fits(Relationship r, string target, string? hint)
    {
        if (r.Function is { } fn) return fn.Name == target;
        var single = r.ColumnPairs.Count == 1 ? r.ColumnPairs[0] : default((string Parent, string Child)?);
        var children = r.Cardinality != Cardinality.ManyToOne;
        if (r.IsSelf)
            return hint is null
                ? (target == r.Child.Name && children) || (single?.Parent == target && !children)
                : target == r.Child.Name && children && single?.Child == hint;
        if (hint is null)
        {
            var throughKeyName = r.Junction is null && r.Child.Kind is not (RelationKind.View or RelationKind.MaterializedView);
            return target == r.Child.Name || (throughKeyName && (target == r.Constraint || single?.Parent == target));
        }
        return target == r.Child.Name && (r.Junction is { } j
            ? hint == j.Table.Name || hint == j.ParentConstraint || hint == j.ChildConstraint
            : hint == r.Constraint || single?.Parent == hint || single?.Child == hint);
    }

    /// <summary>The relationships of the parent that could be named <paramref name="target"/>; null: all of them.</summary>
    private static IEnumerable<Relationship> Candidates(SchemaModel model, Relation parent, string? target)
    {
        foreach (var fk in model.ForeignKeys)
        {
            // Parent holds the key: many-to-one.
            if (Is(fk.Schema, fk.Table, parent) && model.FindRelation(fk.ForeignSchema, fk.ForeignTable) is { } referenced)
                yield return new Relationship(Cardinality.ManyToOne, parent, referenced, fk.Name, Zip(fk.Columns, fk.ForeignColumns));

            // Child holds the key: one-to-many, or one-to-one when the key is unique in the child.
            if (Is(fk.ForeignSchema, fk.ForeignTable, parent) && model.FindRelation(fk.Schema, fk.Table) is { } referencing)
                yield return new Relationship(referencing.IsUnique(fk.Columns) ? Cardinality.OneToOne : Cardinality.OneToMany,
                    parent, referencing, fk.Name, Zip(fk.ForeignColumns, fk.Columns));
        }

        // Many-to-many is only ever reached by the target table's name.
        foreach (var junction in model.Relations.Where(r => r.Kind is RelationKind.Table or RelationKind.PartitionedTable))
        {
            if (Is(junction.Schema, junction.Name, parent) || (target is not null && junction.Name == target)) continue;
            var keys = model.ForeignKeys.Where(fk => Is(fk.Schema, fk.Table, junction) && fk.Columns.All(junction.PrimaryKey.Contains)).ToList();
            foreach (var toParent in keys.Where(fk => Is(fk.ForeignSchema, fk.ForeignTable, parent)))
            foreach (var toChild in keys.Where(fk => (target is null || fk.ForeignTable == target) && fk != toParent))
            {
                if (model.FindRelation(toChild.ForeignSchema, toChild.ForeignTable) is not { } child) continue;
                yield return new Relationship(Cardinality.ManyToMany, parent, child, junction.Name, [],
                    new Junction(junction, toParent.Name, toChild.Name,
                        Zip(toParent.ForeignColumns, toParent.Columns), Zip(toChild.ForeignColumns, toChild.Columns)));
            }
        }

        foreach (var fn in model.ComputedRelationships(parent))
        {
            var toOne = !fn.ReturnsSet || fn.EstimatedRows == 1;
            yield return new Relationship(toOne ? Cardinality.ManyToOne : Cardinality.OneToMany, parent, fn.ResultTable!, fn.Name, [], Function: fn);
        }
    }

    private static bool Is(string schema, string name, Relation r) => schema == r.Schema && name == r.Name;

    private static List<(string, string)> Zip(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.Zip(b).ToList();

    private static ApiException NotFound(SchemaModel model, Relation parent, string target, string? hint) =>
        ApiErrors.RelationshipNotFound(parent.Schema, parent.Name, target, hint, Suggestion(model, parent, target));

    /// <summary>
    /// PostgREST's PGRST200 suggestion: when the parent has relationships in its schema, the closest other name
    /// among the tables it relates to (none when the target is one of them: then the hint was wrong); else the
    /// closest name among the tables that have relationships.
    /// </summary>
    private static (string, string)? Suggestion(SchemaModel model, Relation parent, string target)
    {
        if (!model.Similar.HasRelationships(parent.Schema, parent.Name))
            return model.Similar.RelatedTable(parent.Schema, parent.Name) is { } meant ? (meant, parent.Name) : null;
        var related = new FuzzyNameSet(Candidates(model, parent, null).Where(r => r.Child.Schema == parent.Schema).Select(r => r.Child.Name));
        return related.Matches(target).FirstOrDefault(m => m.Score < 1.0) is { Name: { } child } ? (child, target) : null;
    }

    private static ApiException Ambiguous(Relation parent, string target, List<Relationship> candidates)
    {
        var details = new JsonArray();
        foreach (var r in candidates)
            // A computed relationship has no key to describe: PostgREST lists it as an empty object, without a hint.
            details.Add((JsonNode)(r.Function is not null ? new JsonObject() : new JsonObject
            {
                ["cardinality"] = r.CardinalityText,
                ["embedding"] = $"{parent.Name} with {r.Child.Name}",
                ["relationship"] = Describe(r),
            }));
        // Each option names the candidate's own table: embedding by a key column can reach several tables and views.
        return ApiErrors.AmbiguousRelationship(parent.Name, target, details, candidates.Where(r => r.Function is null).Select(r => $"'{r.Child.Name}!{r.Junction?.Table.Name ?? r.Constraint}'"));
    }

    private static string Describe(Relationship r) => r.Junction is { } j
        ? $"{j.Table.Name} using {j.ParentConstraint}{List(j.ParentPairs.Select(p => p.Junction))} and {j.ChildConstraint}{List(j.ChildPairs.Select(p => p.Junction))}"
        : $"{r.Constraint} using {r.Parent.Name}{List(r.ColumnPairs.Select(p => p.Parent))} and {r.Child.Name}{List(r.ColumnPairs.Select(p => p.Child))}";

    private static string List(IEnumerable<string> columns) => "(" + string.Join(", ", columns) + ")";
}
