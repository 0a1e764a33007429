using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// A postgres_changes filter as realtime-js sends it: <c>column=op.value</c>, several joined by commas (all must
/// hold), op one of eq, neq, lt, lte, gt, gte, in (<c>in.(a,b,"c,d")</c>; values with , ( ) " \ are quoted).
/// Compared with the row's JSON value: numbers numerically, booleans as true/false, everything else as text.
/// A null column matches no condition.
/// </summary>
public sealed class ChangeFilter
{
    private sealed record Condition(string Column, string Op, IReadOnlyList<string> Values);

    private readonly IReadOnlyList<Condition> _conditions;

    private ChangeFilter(IReadOnlyList<Condition> conditions) => _conditions = conditions;

    public IEnumerable<string> Columns => _conditions.Select(c => c.Column);

    /// <summary>Null for no filter; a filter it cannot read is a <see cref="FormatException"/> with a message for the client.</summary>
    public static ChangeFilter? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var conditions = new List<Condition>();
        var i = 0;
        while (i < text.Length)
        {
            var eq = text.IndexOf('=', i);
            if (eq <= i) throw new FormatException($"invalid filter '{text}': expected column=operator.value");
            var column = text[i..eq];
            var dot = text.IndexOf('.', eq + 1);
            if (dot < 0) throw new FormatException($"invalid filter '{text}': expected column=operator.value");
            var op = text[(eq + 1)..dot];
            i = dot + 1;
            List<string> values;
            if (op == "in")
            {
                if (i >= text.Length || text[i] != '(') throw new FormatException($"invalid filter '{text}': in needs a list like in.(1,2)");
                i++;
                values = [];
                while (true)
                {
                    values.Add(ReadValue(text, ref i, inList: true));
                    if (i >= text.Length) throw new FormatException($"invalid filter '{text}': unterminated list");
                    if (text[i++] == ')') break;
                }
            }
            else if (op is "eq" or "neq" or "lt" or "lte" or "gt" or "gte")
            {
                values = [ReadValue(text, ref i, inList: false)];
            }
            else
            {
                throw new FormatException($"invalid filter '{text}': operator '{op}' is not supported (eq, neq, lt, lte, gt, gte, in)");
            }
            conditions.Add(new Condition(column, op, values));
            if (i < text.Length)
            {
                if (text[i] != ',') throw new FormatException($"invalid filter '{text}'");
                i++;
            }
        }
        return new ChangeFilter(conditions);
    }

    private static string ReadValue(string text, ref int i, bool inList)
    {
        if (i < text.Length && text[i] == '"')
        {
            var sb = new StringBuilder();
            i++;
            while (i < text.Length && text[i] != '"')
            {
                if (text[i] == '\\' && i + 1 < text.Length) i++;
                sb.Append(text[i++]);
            }
            if (i >= text.Length) throw new FormatException($"invalid filter '{text}': unterminated quote");
            i++;
            return sb.ToString();
        }
        var start = i;
        while (i < text.Length && text[i] != ',' && !(inList && text[i] == ')')) i++;
        return text[start..i];
    }

    public bool Matches(JsonElement record)
    {
        foreach (var c in _conditions)
        {
            if (!record.TryGetProperty(c.Column, out var value) || value.ValueKind == JsonValueKind.Null) return false;
            var ok = c.Op switch
            {
                "eq" => Compare(value, c.Values[0]) == 0,
                "neq" => Compare(value, c.Values[0]) is { } n && n != 0,
                "lt" => Compare(value, c.Values[0]) < 0,
                "lte" => Compare(value, c.Values[0]) <= 0,
                "gt" => Compare(value, c.Values[0]) > 0,
                "gte" => Compare(value, c.Values[0]) >= 0,
                _ => c.Values.Any(v => Compare(value, v) == 0), // in
            };
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>Null when the two cannot be compared (a number against text that is no number).</summary>
    private static int? Compare(JsonElement value, string text)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number:
                if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return null;
                return value.TryGetDecimal(out var v) ? v.CompareTo(d) : value.GetDouble().CompareTo((double)d);
            case JsonValueKind.True or JsonValueKind.False:
                return bool.TryParse(text, out var b) ? (value.ValueKind == JsonValueKind.True).CompareTo(b) : null;
            case JsonValueKind.String:
                return string.CompareOrdinal(value.GetString(), text);
            default:
                return string.CompareOrdinal(value.GetRawText(), text);
        }
    }
}
