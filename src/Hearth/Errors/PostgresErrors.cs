using Npgsql;

namespace Hearth.Errors;

/// <summary>
/// PostgreSQL errors as PostgREST reports them: the error fields as the body, the HTTP status derived
/// from the SQLSTATE class (23505 → 409, 42501 → 401/403, P0001 → 400, …).
/// </summary>
public static class PostgresErrors
{
    public static ApiError ToApiError(PostgresException e, bool authenticated)
    {
        if (e.SqlState == "PGRST" && FromRaisedPgrst(e) is { } custom) return custom;
        var status = e.SqlState == "22023" && IsUnknownRole(e.MessageText) ? 401 : StatusFor(e.SqlState, authenticated);
        // A 401 from the database (permission denied to anon, a token's role that does not exist, PT401)
        // asks for credentials, as RFC 6750 and PostgREST do.
        return new(e.SqlState, e.Detail, e.Hint, e.MessageText) { Status = status, Headers = status == 401 ? ApiErrors.Challenge() : null };
    }

    /// <summary>set_config('role', …) with a token's role that does not exist: a credentials problem, never a fallback.</summary>
    private static bool IsUnknownRole(string message) =>
        message.StartsWith("role ", StringComparison.Ordinal) && message.EndsWith(" does not exist", StringComparison.Ordinal);

    /// <summary>
    /// <c>raise sqlstate 'PGRST' using message = '{"code":..,"message":..,"details":..,"hint":..}',
    /// detail = '{"status":418,"headers":{..}}'</c>: the function chooses the error body, status and headers.
    /// </summary>
    private static ApiError? FromRaisedPgrst(PostgresException e)
    {
        try
        {
            using var message = System.Text.Json.JsonDocument.Parse(e.MessageText);
            using var detail = System.Text.Json.JsonDocument.Parse(e.Detail ?? "{}");
            var m = message.RootElement;
            string? Text(string name) => m.TryGetProperty(name, out var v) && v.ValueKind != System.Text.Json.JsonValueKind.Null
                ? (v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : v.GetRawText()) : null;
            var headers = new Dictionary<string, string>();
            if (detail.RootElement.TryGetProperty("headers", out var h) && h.ValueKind == System.Text.Json.JsonValueKind.Object)
                foreach (var p in h.EnumerateObject()) headers[p.Name] = p.Value.ToString();
            var status = detail.RootElement.TryGetProperty("status", out var st) && st.TryGetInt32(out var code) ? code : 400;
            return new ApiError(Text("code") ?? "PGRST", Text("details"), Text("hint"), Text("message") ?? "")
                { Status = status, Headers = headers };
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Errors that say the server cannot serve anyone right now: PostgreSQL crashed, is starting up or
    /// in recovery, or is shutting down (57P01: what every pooled connection reports first after an external
    /// server's restart), or a connection exception (class 08: what a pooler such as PgBouncer answers
    /// while it cannot reach the server). Requests are then answered like a lost connection (and
    /// supervision takes over).
    /// </summary>
    public static bool MeansDatabaseDown(string sqlState) =>
        sqlState is "57P01" or "57P02" or "57P03" || sqlState.StartsWith("08", StringComparison.Ordinal);

    /// <summary>Transient conditions worth a Retry-After: shutdown/recovery, insufficient resources (disk full, too many connections).</summary>
    public static bool IsTransient(string sqlState) =>
        sqlState is "57P01" or "57P02" or "57P03" || (sqlState.StartsWith("53", StringComparison.Ordinal) && sqlState != "53400");

    public static int StatusFor(string sqlState, bool authenticated) => sqlState switch
    {
        "23503" or "23505" => 409,
        "25006" => 405,
        "42883" or "42P01" => 404,
        "42P17" => 500,
        "42501" => authenticated ? 403 : 401,
        "53400" => 500,
        // Decision: a full disk (53100) is 503 as in PostgREST (class 53), not 507: PostgREST clients
        // see the same status, the body's code 53100 and message name the cause, and Retry-After is sent.
        "53100" => 503,
        // Shutdown, crash of another backend, starting up or in recovery: the database is coming back.
        // PostgREST answers 57P03 (only ever raised when connecting) as a connection error, 503.
        "57P01" or "57P02" or "57P03" => 503,
        "P0001" => 400,
        _ when sqlState.StartsWith("PT", StringComparison.Ordinal) && int.TryParse(sqlState.AsSpan(2), out var custom) => custom,
        _ => sqlState[..2] switch
        {
            "08" or "53" => 503,
            "0L" or "0P" or "28" => 403,
            "09" or "25" or "2D" or "38" or "39" or "3B" or "40" or "54" or "55" or "57" or "58" or "F0" or "HV" or "P0" or "XX" => 500,
            _ => 400,
        },
    };
}
