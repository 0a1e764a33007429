using System.Text;
using Hearth.Sql;

namespace Hearth.Data;

/// <summary>
/// What a request's transaction starts with, before its statement: one statement of transaction-local
/// set_config calls (search_path, the role's own settings, role, request.*) and the --db-pre-request call.
/// </summary>
/// <param name="Authenticated">Whether the request runs as a role other than the anon role: a PostgreSQL
/// permission error is then 403, else 401 (see Errors.PostgresErrors).</param>
public sealed record TransactionSettings(string? SettingsSql, string[] Values, string? PreRequestSql, bool Authenticated)
{
    /// <summary>
    /// PostgREST's order: search_path, the role's ALTER ROLE settings (before the switch, which may
    /// forbid setting them), role, then the request.* context that RLS policies and functions read.
    /// A setting equal to the session's default (<see cref="SessionDefaults"/>) is left out: an anonymous
    /// read of the default schema sets only request.method, .path and .headers.
    /// </summary>
    /// <param name="requestContextUsed">False when nothing in the database reads request.* (and there is no
    /// pre-request function): then only role, search_path and role settings are sent, and only if they
    /// differ from the session's — an anonymous read sends no settings statement at all.</param>
    public static TransactionSettings For(RequestFacts request, SessionDefaults session, IReadOnlyList<KeyValuePair<string, string>> roleSettings,
        string? preRequestSql, bool requestContextUsed = true)
    {
        // The common anonymous read of a database that reads no request.*: nothing to send.
        if (!requestContextUsed && preRequestSql is null && roleSettings.Count == 0 && !session.Pooled &&
            request.SearchPath == session.SearchPath && request.Role == session.Role)
            return request.Authenticated ? NothingAuthenticated : Nothing;
        var values = new List<string>(8 + roleSettings.Count);
        var names = new List<string>(8 + roleSettings.Count);
        var mask = 0;
        void Add(string name, string value, int bit = 0) { names.Add(name); values.Add(value); mask |= bit; }
        // Pooled (behind a transaction pooler): the session holds nothing, so everything is set every time.
        var pooled = session.Pooled;
        if (pooled || request.SearchPath != session.SearchPath) Add("search_path", request.SearchPath, 1);
        if (pooled && session.StatementTimeoutMs > 0) Add("statement_timeout", session.StatementTimeoutText, 32); // a role's own setting, next, wins
        foreach (var (name, value) in roleSettings) Add(name, value);
        if (pooled || request.Role != session.Role) Add("role", request.Role, 2);
        if (!requestContextUsed && preRequestSql is null)
            // Nothing can read request.*: only the settings that change behaviour (role, search_path, …), if any.
            return names.Count == 0 ? new TransactionSettings(null, [], null, request.Authenticated)
                : new TransactionSettings(roleSettings.Count == 0 ? CommonTexts[mask | 16] ??= Text(names) : Text(names), values.ToArray(), null, request.Authenticated);
        if (pooled || request.ClaimsJson != session.ClaimsJson) Add("request.jwt.claims", request.ClaimsJson, 4);
        Add("request.method", request.Method);
        Add("request.path", request.Path);
        Add("request.headers", request.HeadersJson());
        if (request.CookiesJson() is var cookies && (pooled || cookies != SessionDefaults.NoCookies)) Add("request.cookies", cookies, 8);
        // Without role settings the text depends only on which optional settings are present: built once each.
        var sql = roleSettings.Count == 0 ? CommonTexts[mask] ??= Text(names) : Text(names);
        return new TransactionSettings(sql, values.ToArray(), preRequestSql, request.Authenticated);
    }

    private static readonly TransactionSettings Nothing = new(null, [], null, false), NothingAuthenticated = new(null, [], null, true);

    /// <summary>By mask: 1 search_path, 2 role, 4 claims, 8 cookies, 16 no request context, 32 statement_timeout.</summary>
    private static readonly string?[] CommonTexts = new string?[64];

    private static string Text(List<string> names)
    {
        // Names are fixed here or come from pg_db_role_setting, never from a request; values are parameters.
        var sql = new StringBuilder("select ");
        for (var i = 0; i < names.Count; i++)
            sql.Append(i > 0 ? ", " : "").Append("set_config(").Append(SqlText.Literal(names[i])).Append(", $").Append(i + 1).Append(", true)");
        return sql.ToString();
    }
}

/// <summary>
/// The request as SQL sees it through current_setting('request.…'). Headers and cookies are read from
/// <paramref name="Http"/> only when sent (no HTTP request: none, as for realtime's own checks).
/// </summary>
public readonly record struct RequestFacts(string SearchPath, string Role, string ClaimsJson, bool Authenticated, string Method, string Path,
    Microsoft.AspNetCore.Http.HttpRequest? Http)
{
    /// <summary>A request made over HTTP: its method and path as sent.</summary>
    public static RequestFacts Of(Microsoft.AspNetCore.Http.HttpRequest http, string searchPath, string role, string claimsJson, bool authenticated) =>
        new(searchPath, role, claimsJson, authenticated, http.Method, http.Path.Value ?? "/", http);

    public string HeadersJson() => Http is null ? "{}" : Request.RequestContextJson.Headers(Http.Headers);

    public string CookiesJson() => Http is null ? SessionDefaults.NoCookies : Request.RequestContextJson.Cookies(Http);
}

/// <summary>
/// What every API session is set to when it connects (and falls back to after each transaction): the
/// anon role, read-only, the default schema's search_path, anonymous claims, no cookies.
/// </summary>
public sealed record SessionDefaults(string? Role, string SearchPath, string ClaimsJson, int StatementTimeoutMs)
{
    public const string NoCookies = "{}";

    /// <summary>search_path for a request on <paramref name="schema"/>: it, then --db-extra-search-path (as PostgREST); names quoted.</summary>
    public static string SearchPathFor(string schema, IReadOnlyList<string> extra) =>
        string.Join(", ", new[] { schema }.Concat(extra).Select(SqlText.Ident));

    /// <summary>
    /// A transaction pooler may hand each transaction another server session (--db-prepared-statements
    /// false): sessions are then left untouched (no initializer) and every transaction sets role,
    /// search_path, statement_timeout, claims and cookies itself, so nothing depends on or leaks through
    /// session state.
    /// </summary>
    public bool Pooled { get; init; }

    public string StatementTimeoutText => StatementTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The connection initializer's SQL (simple protocol, so literals; all values come from configuration).</summary>
    public string InitializerSql()
    {
        var sql = new StringBuilder();
        if (Role is not null) sql.Append("set role ").Append(SqlText.Ident(Role)).Append("; ");
        sql.Append("set default_transaction_read_only = on; ");
        if (StatementTimeoutMs > 0) sql.Append("set statement_timeout = ").Append(StatementTimeoutMs).Append("; ");
        sql.Append("select set_config('search_path', ").Append(SqlText.Literal(SearchPath)).Append(", false), ")
            .Append("set_config('request.jwt.claims', ").Append(SqlText.Literal(ClaimsJson)).Append(", false), ")
            .Append("set_config('request.cookies', ").Append(SqlText.Literal(NoCookies)).Append(", false)");
        return sql.ToString();
    }
}
