namespace Hearth.Schema;

public enum RelationKind { Table, View, MaterializedView, ForeignTable, PartitionedTable }

/// <summary>
/// A column as the schema cache knows it. Type is PostgreSQL's format_type() spelling. DefaultSql is the
/// default as SQL (from the catalog, or nextval of an identity's sequence); Generated columns cannot be written.
/// </summary>
public sealed record Column(string Name, string Type, bool Nullable, bool HasDefault, int Position)
{
    public string? DefaultSql { get; init; }
    public bool Generated { get; init; }

    /// <summary>For a computed field: the function taking the row that computes it (never part of <c>*</c>).</summary>
    public Routine? ComputedBy { get; init; }
}

/// <summary>A table or view of an exposed schema.</summary>
public sealed record Relation(string Schema, string Name, RelationKind Kind, IReadOnlyList<Column> Columns, IReadOnlyList<string> PrimaryKey)
{
    /// <summary>Column sets that are unique: the primary key and unique constraints (one-to-one detection).</summary>
    public IReadOnlyList<IReadOnlyList<string>> UniqueKeys { get; init; } = [];

    public bool IsUnique(IEnumerable<string> columns)
    {
        var set = columns.ToHashSet(StringComparer.Ordinal);
        return (PrimaryKey.Count > 0 && set.SetEquals(PrimaryKey)) || UniqueKeys.Any(k => set.SetEquals(k));
    }

    private readonly Dictionary<string, Column> _byName = Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public Column? FindColumn(string name) => _byName.GetValueOrDefault(name);

    /// <summary>pg_relation_is_updatable's bit mask: 1 &lt;&lt; CMD_UPDATE (4), CMD_INSERT (8), CMD_DELETE (16).</summary>
    public int Updatability { get; init; } = 4 | 8 | 16;

    public bool CanInsert => (Updatability & 8) != 0;
    public bool CanUpdate => (Updatability & 4) != 0;
    public bool CanDelete => (Updatability & 16) != 0;
}

/// <summary>A foreign key: Columns of (Schema, Table) reference ForeignColumns of (ForeignSchema, ForeignTable).</summary>
public sealed record ForeignKey(
    string Name,
    string Schema, string Table, IReadOnlyList<string> Columns,
    string ForeignSchema, string ForeignTable, IReadOnlyList<string> ForeignColumns);

/// <summary>An immutable snapshot of what the API exposes. Replaced as a whole on reload.</summary>
public sealed class SchemaModel(IReadOnlyList<string> exposedSchemas, IEnumerable<Relation> relations, IReadOnlyList<ForeignKey> foreignKeys,
    IReadOnlyList<Routine>? routines = null)
{
    private readonly ILookup<(string, string), Routine> _routines = (routines ?? []).ToLookup(r => (r.Schema, r.Name));

    /// <summary>Every exposed function (all overloads).</summary>
    public IReadOnlyList<Routine> Routines { get; } = routines ?? [];

    /// <summary>Close names for PostgREST's "Perhaps you meant …" hints, indexed on first use.</summary>
    public SimilarNames Similar => _similar ??= new SimilarNames(this);
    private SimilarNames? _similar;

    /// <summary>Every overload of schema.name.</summary>
    public IEnumerable<Routine> FindRoutines(string schema, string name) => _routines[(schema, name)];

    // Functions of one argument of a relation's row type, by that relation: computed fields (scalar results)
    // and computed relationships (rows of an exposed relation), as PostgREST reads them.
    private readonly Dictionary<(string, string, string), Column> _computedFields = (routines ?? [])
        .Where(r => r.RowArgument is not null && r.ResultTable is null && !r.ReturnsSet)
        .GroupBy(r => (r.RowArgument!.Schema, r.RowArgument.Name, r.Name))
        .ToDictionary(g => g.Key, g => new Column(g.Key.Item3, g.First().ReturnType, true, false, 0) { ComputedBy = g.First() });

    private readonly ILookup<(string, string), Routine> _computedRelationships = (routines ?? [])
        .Where(r => r.RowArgument is not null && r.ResultTable is not null)
        .ToLookup(r => (r.RowArgument!.Schema, r.RowArgument.Name));

    /// <summary>A computed field of the relation: a function of its row returning a scalar, usable like a column.</summary>
    public Column? FindComputedField(Relation relation, string name) => _computedFields.GetValueOrDefault((relation.Schema, relation.Name, name));

    /// <summary>Functions of the relation's row returning rows of an exposed relation (embeddable by their name).</summary>
    public IEnumerable<Routine> ComputedRelationships(Relation relation) => _computedRelationships[(relation.Schema, relation.Name)];

    private readonly Dictionary<(string, string), Relation> _relations =
        relations.ToDictionary(r => (r.Schema, r.Name));

    public static SchemaModel Empty(IReadOnlyList<string> schemas) => new(schemas, [], []);

    public IReadOnlyList<string> ExposedSchemas { get; } = exposedSchemas;

    public IEnumerable<Relation> Relations => _relations.Values;

    public IReadOnlyList<ForeignKey> ForeignKeys { get; } = foreignKeys;

    public Relation? FindRelation(string schema, string name) => _relations.GetValueOrDefault((schema, name));

    /// <summary>Whether anything in the database may read request.* settings (see <see cref="SettingsUse"/>).</summary>
    public bool UsesRequestContext { get; init; } = true;

    /// <summary>Whether any function may set response.headers/response.status (see <see cref="SettingsUse"/>).</summary>
    public bool UsesResponseSettings { get; init; } = true;

    /// <summary>The roles requests may run as; null in models built without a database (no check).</summary>
    public ApiRoles? Roles { get; init; }

    /// <summary>The types a request may name in a cast.</summary>
    public TypeCatalog Types { get; init; } = TypeCatalog.KeywordsOnly;

    /// <summary>ALTER ROLE … SET settings (statement_timeout, …) by role; SET ROLE alone does not apply them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> RoleSettings { get; init; } =
        new Dictionary<string, IReadOnlyList<KeyValuePair<string, string>>>();
}
