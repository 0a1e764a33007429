using System.Collections.Concurrent;

namespace Hearth.Schema;

/// <summary>
/// The names PostgREST's "Perhaps you meant …" hints choose from, per schema, built on first use and kept
/// with the schema model (a reload builds new ones): tables and views (only for schemas of fewer than 500,
/// as PostgREST, which skips the index for big schemas), functions, and the relations that have a
/// relationship.
/// </summary>
public sealed class SimilarNames(SchemaModel model)
{
    /// <summary>Table and function hints ask for at least this score; relationship and argument hints use the default.</summary>
    public const double NameMinScore = 0.75;

    /// <summary>PostgREST builds no table index for a schema with this many tables or more.</summary>
    public const int MaxTables = 500;

    private readonly ConcurrentDictionary<string, FuzzyNameSet?> _tables = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FuzzyNameSet> _routines = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (HashSet<(string, string)> Relations, FuzzyNameSet Set)> _related = new(StringComparer.Ordinal);

    /// <summary>A table or view of the schema whose name is close to <paramref name="name"/>.</summary>
    public string? Table(string schema, string name) =>
        _tables.GetOrAdd(schema, s =>
        {
            var names = model.Relations.Where(r => r.Schema == s).Select(r => r.Name).ToList();
            return names.Count < MaxTables ? new FuzzyNameSet(names) : null;
        })?.Best(name, NameMinScore);

    /// <summary>A function of the schema whose name is close to <paramref name="name"/>.</summary>
    public string? Routine(string schema, string name) =>
        _routines.GetOrAdd(schema, s => new FuzzyNameSet(model.Routines.Where(r => r.Schema == s).Select(r => r.Name))).Best(name, NameMinScore);

    /// <summary>Whether schema.name has a relationship to a relation of its own schema (PostgREST then suggests a target, not a parent).</summary>
    public bool HasRelationships(string schema, string name) => Related(schema).Relations.Contains((schema, name));

    /// <summary>A relation with relationships into the schema whose name is close to <paramref name="name"/>.</summary>
    public string? RelatedTable(string schema, string name) => Related(schema).Set.Best(name);

    // PostgREST keys relationships by (table, schema of the related table), and offers the tables of one
    // such schema: both ends of every foreign key, the argument table of every computed relationship.
    private (HashSet<(string, string)> Relations, FuzzyNameSet Set) Related(string schema) => _related.GetOrAdd(schema, s =>
    {
        var relations = new HashSet<(string, string)>();
        foreach (var fk in model.ForeignKeys)
        {
            if (model.FindRelation(fk.Schema, fk.Table) is null || model.FindRelation(fk.ForeignSchema, fk.ForeignTable) is null) continue;
            if (fk.ForeignSchema == s) relations.Add((fk.Schema, fk.Table));
            if (fk.Schema == s) relations.Add((fk.ForeignSchema, fk.ForeignTable));
        }
        foreach (var r in model.Routines)
            if (r is { RowArgument: { } arg, ResultTable: { } result } && result.Schema == s) relations.Add((arg.Schema, arg.Name));
        return (relations, new FuzzyNameSet(relations.Select(r => r.Item2)));
    });
}
