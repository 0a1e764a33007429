using Hearth.Errors;
using System.Text.Json.Nodes;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>
/// Finds how a parent embeds a child named in select, from the foreign keys in the schema cache:
/// many-to-one (the parent holds the key), one-to-many / one-to-one (the child holds it), many-to-many
/// (through a junction table whose primary key covers both keys). A hint (!name) narrows the choice to a
/// constraint, a key column or a junction table. None → PGRST200; several → 300 PGRST201.
/// </summary>
public static class RelationshipFinder
{
    public static Relationship Find(SchemaModel model, Relation parent, string target, string? hint)
    {
        var candidates = Candidates(model, parent, target).Where(r => hint is null || Matches(r, hint)).ToList();
        // A self-reference named by its table (or hinted by its key) matches both directions; PostgREST
        // reads it as one-to-many (the children). The parent is reached through the key column: manager_id(*).
        if (candidates.Count == 2 && candidates[0].Constraint == candidates[1].Constraint)
            candidates = candidates.Where(c => c.Cardinality != Cardinality.ManyToOne).ToList();
        return candidates.Count switch
        {
            1 => candidates[0],
            0 => throw NotFound(parent, target, hint),
            _ => throw Ambiguous(parent, target, candidates),
        };
    }

    private static IEnumerable<Relationship> Candidates(SchemaModel model, Relation parent, string target)
    {
        foreach (var fk in model.ForeignKeys)
        {
            // Parent holds the key: many-to-one. The target is the referenced table, or the key column itself.
            if (Is(fk.Schema, fk.Table, parent) &&
                (fk.ForeignTable == target || (fk.Columns.Count == 1 && fk.Columns[0] == target)) &&
                model.FindRelation(fk.ForeignSchema, fk.ForeignTable) is { } referenced)
                yield return new Relationship(Cardinality.ManyToOne, parent, referenced, fk.Name, Zip(fk.Columns, fk.ForeignColumns));

            // Child holds the key: one-to-many, or one-to-one when the key is unique in the child.
            if (Is(fk.ForeignSchema, fk.ForeignTable, parent) && fk.Table == target &&
                model.FindRelation(fk.Schema, fk.Table) is { } referencing)
                yield return new Relationship(referencing.IsUnique(fk.Columns) ? Cardinality.OneToOne : Cardinality.OneToMany,
                    parent, referencing, fk.Name, Zip(fk.ForeignColumns, fk.Columns));
        }

        foreach (var junction in model.Relations.Where(r => r.Kind is RelationKind.Table or RelationKind.PartitionedTable))
        {
            if (Is(junction.Schema, junction.Name, parent) || junction.Name == target) continue;
            var keys = model.ForeignKeys.Where(fk => Is(fk.Schema, fk.Table, junction) && fk.Columns.All(junction.PrimaryKey.Contains)).ToList();
            foreach (var toParent in keys.Where(fk => Is(fk.ForeignSchema, fk.ForeignTable, parent)))
            foreach (var toChild in keys.Where(fk => fk.ForeignTable == target && fk != toParent))
            {
                if (model.FindRelation(toChild.ForeignSchema, toChild.ForeignTable) is not { } child) continue;
                yield return new Relationship(Cardinality.ManyToMany, parent, child, junction.Name, [],
                    new Junction(junction, toParent.Name, toChild.Name,
                        Zip(toParent.ForeignColumns, toParent.Columns), Zip(toChild.ForeignColumns, toChild.Columns)));
            }
        }
    }

    private static bool Matches(Relationship r, string hint) => r.Junction is { } j
        ? hint == j.Table.Name || hint == j.ParentConstraint || hint == j.ChildConstraint
        : hint == r.Constraint || r.ColumnPairs.Any(p => p.Parent == hint || p.Child == hint);

    private static bool Is(string schema, string name, Relation r) => schema == r.Schema && name == r.Name;

    private static List<(string, string)> Zip(IReadOnlyList<string> a, IReadOnlyList<string> b) => a.Zip(b).ToList();

    private static ApiException NotFound(Relation parent, string target, string? hint) =>
        ApiErrors.RelationshipNotFound(parent.Schema, parent.Name, target, hint);

    private static ApiException Ambiguous(Relation parent, string target, List<Relationship> candidates)
    {
        var details = new JsonArray();
        foreach (var r in candidates)
            details.Add((JsonNode)new JsonObject
            {
                ["cardinality"] = r.CardinalityText,
                ["embedding"] = $"{parent.Name} with {r.Child.Name}",
                ["relationship"] = Describe(r),
            });
        return ApiErrors.AmbiguousRelationship(parent.Name, target, details, candidates.Select(r => $"'{target}!{r.Junction?.Table.Name ?? r.Constraint}'"));
    }

    private static string Describe(Relationship r) => r.Junction is { } j
        ? $"{j.Table.Name} using {j.ParentConstraint}({string.Join(",", j.ParentPairs.Select(p => p.Junction))}) and {j.ChildConstraint}({string.Join(",", j.ChildPairs.Select(p => p.Junction))})"
        : $"{r.Constraint} using {r.Parent.Name}({string.Join(",", r.ColumnPairs.Select(p => p.Parent))}) and {r.Child.Name}({string.Join(",", r.ColumnPairs.Select(p => p.Child))})";
}
