using System.Text.Json;

namespace Hearth.OpenApi;

/// <summary>PostgreSQL types (format_type spelling, typmod dropped) to OpenAPI type/format, as PostgREST maps them.</summary>
public static class SwaggerTypes
{
    /// <summary>"character varying(20)" → "character varying"; arrays keep their "[]".</summary>
    public static string BaseType(string type)
    {
        var open = type.IndexOf('(');
        if (open < 0) return type;
        var close = type.IndexOf(')', open);
        return close < 0 ? type : (type[..open] + type[(close + 1)..]).Trim();
    }

    /// <summary>null for json/jsonb: any JSON value.</summary>
    public static string? Type(string type) => type switch
    {
        "character varying" or "character" or "text" => "string",
        "boolean" => "boolean",
        "smallint" or "integer" or "bigint" => "integer",
        "numeric" or "real" or "double precision" => "number",
        "json" or "jsonb" => null,
        _ when type.EndsWith("[]", StringComparison.Ordinal) => "array",
        _ => "string",
    };

    public static string Format(string type) => type switch
    {
        "smallint" or "integer" => "int32",
        "bigint" => "int64",
        _ => type,
    };

    public static string ElementType(string arrayType) => arrayType[..^2];

    /// <summary>
    /// A column default as a JSON value, when it is a constant: string types get the literal without its
    /// cast and quotes; other types only when the default text is JSON (numbers, true/false). Else none.
    /// </summary>
    public static void WriteDefault(Utf8JsonWriter json, string type, string? defaultSql)
    {
        if (defaultSql is null) return;
        if (Type(type) == "string")
        {
            var text = defaultSql.EndsWith("::" + type, StringComparison.Ordinal) ? defaultSql[..^(type.Length + 2)] : defaultSql;
            json.WriteString("default", text.Trim('\''));
            return;
        }
        try
        {
            using var doc = JsonDocument.Parse(defaultSql);
            json.WritePropertyName("default");
            doc.RootElement.WriteTo(json);
        }
        catch (JsonException) { }
    }
}
