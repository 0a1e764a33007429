namespace Hearth.Sql;

/// <summary>Quoting for the few places SQL text must contain a name: identifiers from the schema cache.</summary>
public static class SqlText
{
    /// <summary>A double-quoted identifier, with embedded quotes doubled.</summary>
    public static string Ident(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    /// <summary>schema.name, both quoted.</summary>
    public static string Qualified(string schema, string name) => Ident(schema) + "." + Ident(name);

    /// <summary>A standard-conforming string literal; only for DDL where parameters are impossible.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";
}
