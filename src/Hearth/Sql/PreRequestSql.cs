namespace Hearth.Sql;

/// <summary>The --db-pre-request call: select "schema"."fn"() (split at the first dot; quoted, so any name is safe).</summary>
public static class PreRequestSql
{
    public static string? For(string? name) => name switch
    {
        null or "" => null,
        _ when name.IndexOf('.') is var dot and > 0 => $"select {SqlText.Qualified(name[..dot], name[(dot + 1)..])}()",
        _ => $"select {SqlText.Ident(name)}()",
    };
}
