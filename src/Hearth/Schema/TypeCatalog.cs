namespace Hearth.Schema;

/// <summary>
/// A type a request may name in a cast, resolved: either one of SQL's own type keywords (written as the
/// keyword from <see cref="TypeCatalog"/>'s fixed table) or a pg_type row (written as a quoted schema.name).
/// Never text from the request.
/// </summary>
public sealed record DbType(string? Schema, string Name)
{
    /// <summary>SQL's spelling of a keyword type (double precision, …), from the fixed table only.</summary>
    public bool IsKeyword => Schema is null;

    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}

/// <summary>
/// The types casts may use (select=col::type): SQL's type keywords and the types of pg_catalog, the
/// exposed schemas and --db-extra-search-path, loaded with the schema cache. Resolution follows
/// PostgreSQL's for an unqualified name on the request's search_path: keywords first, then pg_catalog,
/// the request's schema, then --db-extra-search-path.
/// </summary>
public sealed class TypeCatalog
{
    /// <summary>
    /// SQL's type keywords that are not (or not only) pg_type names, lower case, single spaces. The value is
    /// what is written into SQL: a constant of this table.
    /// </summary>
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["int"] = "integer", ["integer"] = "integer", ["smallint"] = "smallint", ["bigint"] = "bigint",
        ["real"] = "real", ["float"] = "double precision", ["double precision"] = "double precision",
        ["decimal"] = "numeric", ["dec"] = "numeric", ["numeric"] = "numeric", ["boolean"] = "boolean",
        ["char"] = "character", ["character"] = "character",
        ["varchar"] = "character varying", ["char varying"] = "character varying", ["character varying"] = "character varying",
        ["bit varying"] = "bit varying",
        ["timestamp"] = "timestamp without time zone", ["timestamp without time zone"] = "timestamp without time zone",
        ["timestamp with time zone"] = "timestamp with time zone",
        ["time"] = "time without time zone", ["time without time zone"] = "time without time zone",
        ["time with time zone"] = "time with time zone",
        ["interval"] = "interval",
    };

    private readonly IReadOnlyList<string> _extraSearchPath;
    private readonly HashSet<(string Schema, string Name)> _types;

    /// <param name="extraSearchPath">Schemas searched after the request's own (--db-extra-search-path).</param>
    public TypeCatalog(IEnumerable<(string Schema, string Name)> types, IReadOnlyList<string> extraSearchPath)
    {
        _types = types.ToHashSet();
        _extraSearchPath = extraSearchPath;
    }

    /// <summary>Only SQL's keywords and no pg_type rows: for schema models built without a database.</summary>
    public static TypeCatalog KeywordsOnly { get; } = new([], []);

    /// <summary>The type a cast names, or null when no such type exists (the request's mistake: 42704).</summary>
    public DbType? Resolve(string cast, string requestSchema)
    {
        // Unquoted names fold to lower case (ASCII only, as PostgreSQL does); runs of spaces separate keywords.
        var name = string.Join(' ', FoldAscii(cast).Split(' ', StringSplitOptions.RemoveEmptyEntries));
        if (Keywords.TryGetValue(name, out var keyword)) return new DbType(null, keyword);
        if (_types.Contains(("pg_catalog", name))) return new DbType("pg_catalog", name);
        if (_types.Contains((requestSchema, name))) return new DbType(requestSchema, name);
        foreach (var schema in _extraSearchPath)
            if (_types.Contains((schema, name))) return new DbType(schema, name);
        return null;
    }

    private static string FoldAscii(string s) => string.Create(s.Length, s, static (span, text) =>
    {
        for (var i = 0; i < text.Length; i++) span[i] = text[i] is >= 'A' and <= 'Z' ? (char)(text[i] + 32) : text[i];
    });
}
