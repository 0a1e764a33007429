using System.Text;
using System.Text.Json;

namespace Hearth.Auth;

/// <summary>
/// Where the role sits in the claims, PostgREST's jwt-role-claim-key: keys, array indexes and a final
/// string filter, e.g. <c>.role</c>, <c>."https://example.com/claims".role</c>, <c>$.app_metadata.roles[0]</c>,
/// <c>$["https://example.com/roles"][0]</c>, <c>.realm_access.roles[?(@ ^== "app_")]</c>.
/// </summary>
public sealed partial class RoleClaimPath
{
    /// <summary>[?(@ op "value")]: the first string of an array that matches.</summary>
    private sealed record Filter(string Op, string Value)
    {
        public bool Matches(string s) => Op switch
        {
            "==" => s == Value,
            "!=" => s != Value,
            "^==" => s.StartsWith(Value, StringComparison.Ordinal),
            "==^" => s.EndsWith(Value, StringComparison.Ordinal),
            _ => s.Contains(Value, StringComparison.Ordinal), // *==
        };
    }

    private readonly IReadOnlyList<object> _steps; // string = object key, int = array index, Filter = last step

    private RoleClaimPath(IReadOnlyList<object> steps, string text) { _steps = steps; Text = text; }

    public string Text { get; }

    public static RoleClaimPath Default { get; } = Parse(".role");

    public static RoleClaimPath Parse(string text)
    {
        var steps = new List<object>();
        var i = text.StartsWith('$') ? 1 : 0; // the RFC 9535 spelling, $.role, reads the same
        while (i < text.Length)
        {
            if (steps.LastOrDefault() is Filter) throw Invalid(text, "a filter must be the last step");
            switch (text[i])
            {
                case '[' when i + 1 < text.Length && text[i + 1] is '"' or '\'':
                {
                    var quote = text[i + 1];
                    var end = text.IndexOf(quote, i + 2);
                    if (end < 0 || end + 1 >= text.Length || text[end + 1] != ']') throw Invalid(text, "unterminated [\"key\"]");
                    steps.Add(text[(i + 2)..end]);
                    i = end + 2;
                    break;
                }
                case '[' when i + 1 < text.Length && text[i + 1] == '?':
                {
                    var match = FilterSyntax().Match(text, i);
                    if (!match.Success || match.Index != i) throw Invalid(text, "a filter is [?(@ == \"value\")] with ==, !=, ^==, ==^ or *==");
                    steps.Add(new Filter(match.Groups[1].Value, match.Groups[2].Value));
                    i += match.Length;
                    break;
                }
                case '.' when i + 1 < text.Length && text[i + 1] == '"':
                {
                    var key = new StringBuilder();
                    i += 2;
                    while (i < text.Length && text[i] != '"')
                    {
                        if (text[i] == '\\' && i + 1 < text.Length) i++;
                        key.Append(text[i++]);
                    }
                    if (i >= text.Length) throw Invalid(text, "unterminated quoted key");
                    i++;
                    steps.Add(key.ToString());
                    break;
                }
                case '.':
                {
                    var start = ++i;
                    // Unquoted keys as in PostgREST: letters, digits, _ $ @; anything else needs ."quotes".
                    while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '$' or '@')) i++;
                    if (i == start) throw Invalid(text, "empty key");
                    if (i < text.Length && text[i] is not ('.' or '[')) throw Invalid(text, $"'{text[i]}' in a key needs the key quoted");
                    steps.Add(text[start..i]);
                    break;
                }
                case '[':
                {
                    var end = text.IndexOf(']', i);
                    if (end < 0 || !int.TryParse(text.AsSpan(i + 1, end - i - 1), System.Globalization.NumberStyles.None, null, out var index))
                        throw Invalid(text, "an index is [n] with n ≥ 0");
                    steps.Add(index);
                    i = end + 1;
                    break;
                }
                default:
                    throw Invalid(text, "each step starts with . or [");
            }
        }
        if (steps.Count == 0) throw Invalid(text, "it names no claim");
        return new RoleClaimPath(steps, text);
    }

    private static Hosting.HearthStartupException Invalid(string text, string why) =>
        new($"--jwt-role-claim-key: '{text}' is not a claim path ({why}); e.g. .role or .\"https://example.com/claims\".role");

    /// <summary>The value at the path, or null when the path leads nowhere.</summary>
    public JsonElement? Find(JsonElement claims)
    {
        var current = claims;
        foreach (var step in _steps)
        {
            if (step is string key && current.ValueKind == JsonValueKind.Object && current.TryGetProperty(key, out var next))
                current = next;
            else if (step is int index && current.ValueKind == JsonValueKind.Array && index < current.GetArrayLength())
                current = current[index];
            else if (step is Filter filter && current.ValueKind == JsonValueKind.Array &&
                     current.EnumerateArray().FirstOrDefault(e => e.ValueKind == JsonValueKind.String && filter.Matches(e.GetString()!)) is { ValueKind: JsonValueKind.String } found)
                current = found;
            else
                return null;
        }
        return current;
    }

    [System.Text.RegularExpressions.GeneratedRegex("""\[\?\(@\s*(==|!=|\^==|==\^|\*==)\s*"([^"]*)"\)\]""")]
    private static partial System.Text.RegularExpressions.Regex FilterSyntax();
}
