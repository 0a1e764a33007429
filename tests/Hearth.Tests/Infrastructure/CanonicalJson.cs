using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Hearth.Tests.Infrastructure;

/// <summary>Compact JSON with object keys sorted and numbers normalised (1.0 == 1), arrays kept in order: compares bodies exactly but independent of key order.</summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Canon(string json)
    {
        using var doc = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options)) Write(writer, doc.RootElement);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static string CanonOrRaw(string text)
    {
        try { return Canon(text); }
        catch (JsonException) { return text; }
    }

    private static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) Write(w, item);
                w.WriteEndArray();
                break;
            case JsonValueKind.Number when e.TryGetDecimal(out var d):
                w.WriteRawValue(d.ToString("G29", CultureInfo.InvariantCulture));
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }
}
