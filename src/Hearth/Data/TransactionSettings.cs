namespace Hearth.Data;

/// <summary>
/// What a request's transaction starts with, before its statement: transaction-local settings
/// (search_path, the role's own settings, role, request.*) and the --db-pre-request call.
/// </summary>
public sealed record TransactionSettings(string[] Names, string[] Values, string? PreRequestSql)
{
    /// <summary>
    /// PostgREST's order: search_path, the role's ALTER ROLE settings (before the switch, which may
    /// forbid setting them), role, then the request.* context that RLS policies and functions read.
    /// </summary>
    public static TransactionSettings For(RequestFacts request, IReadOnlyList<KeyValuePair<string, string>> roleSettings, string? preRequestSql)
    {
        var count = 7 + roleSettings.Count;
        var names = new string[count];
        var values = new string[count];
        var i = 0;
        void Add(string name, string value) { names[i] = name; values[i] = value; i++; }
        Add("search_path", request.SearchPath);
        foreach (var (name, value) in roleSettings) Add(name, value);
        Add("role", request.Role);
        Add("request.jwt.claims", request.ClaimsJson);
        Add("request.method", request.Method);
        Add("request.path", request.Path);
        Add("request.headers", request.HeadersJson);
        Add("request.cookies", request.CookiesJson);
        return new TransactionSettings(names, values, preRequestSql);
    }
}

/// <summary>The request as SQL sees it through current_setting('request.…').</summary>
public sealed record RequestFacts(string SearchPath, string Role, string ClaimsJson, string Method, string Path, string HeadersJson, string CookiesJson);
