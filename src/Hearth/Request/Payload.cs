using Hearth.Errors;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hearth.Request;

/// <summary>
/// A write body, normalised to JSON text (PostgreSQL gets it as one json parameter). Keys are the
/// columns it names (all objects of an array must name the same ones, as in PostgREST); RowCount is
/// how many objects it holds.
/// </summary>
public sealed record Payload(string Json, IReadOnlyList<string> Keys, bool IsArray, int RowCount)
{
    public static Payload FromJson(string text, bool requireSameKeys = true, bool allowScalar = false)
    {
        // An empty body is no arguments for a function, and an error for a table.
        if (string.IsNullOrWhiteSpace(text))
        {
            if (!allowScalar) throw Invalid("Empty or invalid json", null);
            text = "{}";
        }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException) { throw Invalid("Empty or invalid json", null); }
        using (doc)
        {
            var root = doc.RootElement;
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    return new Payload(text, KeysOf(root), false, 1);
                case JsonValueKind.Array:
                    List<string>? keys = null;
                    var count = 0;
                    foreach (var item in root.EnumerateArray())
                    {
                        if (item.ValueKind != JsonValueKind.Object) throw Invalid("All object keys must match", null);
                        var k = KeysOf(item);
                        if (keys is null) keys = k;
                        else if (requireSameKeys && !(keys.Count == k.Count && keys.All(k.Contains))) throw Invalid("All object keys must match", null);
                        else if (!requireSameKeys) keys.AddRange(k.Where(x => !keys.Contains(x)));
                        count++;
                    }
                    return new Payload(text, keys ?? [], true, count);
                default:
                    if (allowScalar) return new Payload(text, [], false, 1);
                    throw Invalid("Empty or invalid json", null);
            }
        }
    }

    /// <summary>
    /// text/csv: the first line names the columns; an unquoted empty field or NULL is null. Converted to a
    /// JSON array of objects with string values, which PostgreSQL casts to the column types.
    /// </summary>
    public static Payload FromCsv(string text)
    {
        var rows = CsvReader.Read(text);
        if (rows.Count == 0) throw Invalid("Empty or invalid csv", null);
        var header = rows[0].Select(f => f.Value ?? "").ToList();
        var array = new JsonArray();
        foreach (var row in rows.Skip(1))
        {
            if (row.Count == 1 && row[0].Value is "" && header.Count > 1) continue; // trailing blank line
            if (row.Count != header.Count) throw Invalid("All lines must have same number of fields", null);
            var obj = new JsonObject();
            for (var i = 0; i < header.Count; i++) obj[header[i]] = row[i].Value is { } v ? JsonValue.Create(v) : null;
            array.Add((JsonNode)obj);
        }
        return new Payload(array.ToJsonString(), header, true, array.Count);
    }

    /// <summary>application/x-www-form-urlencoded: one object with string values.</summary>
    public static Payload FromForm(string text)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in QueryStringSplitter.SplitForm(text)) obj[key] = JsonValue.Create(value ?? "");
        return new Payload(obj.ToJsonString(), obj.Select(p => p.Key).ToList(), false, 1);
    }

    private static List<string> KeysOf(JsonElement obj) => obj.EnumerateObject().Select(p => p.Name).ToList();

    private static ApiException Invalid(string message, string? details) => ApiErrors.InvalidPayload(message, details);
}

/// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF.</summary>
internal static class CsvReader
{
    public readonly record struct Field(string? Value);

    public static List<List<Field>> Read(string text)
    {
        var rows = new List<List<Field>>();
        var row = new List<Field>();
        var sb = new StringBuilder();
        var quoted = false;
        var i = 0;
        void EndField() { var v = sb.ToString(); row.Add(new Field(!quoted && (v.Length == 0 || v == "NULL") ? null : v)); sb.Clear(); quoted = false; }
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && sb.Length == 0 && !quoted)
            {
                quoted = true;
                i++;
                while (i < text.Length)
                {
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; }
                    else if (text[i] == '"') { i++; break; }
                    else sb.Append(text[i++]);
                }
                continue;
            }
            if (c == ',') { EndField(); i++; continue; }
            if (c is '\r' or '\n')
            {
                EndField();
                rows.Add(row);
                row = [];
                i += c == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
                continue;
            }
            sb.Append(c);
            i++;
        }
        if (sb.Length > 0 || quoted || row.Count > 0) { EndField(); rows.Add(row); }
        return rows;
    }
}
