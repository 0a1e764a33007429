namespace Hearth.Errors;

/// <summary>Running the statement and checking its result: the database, the pool, response settings, result checks.</summary>
public static partial class ApiErrors
{
    /// <summary>
    /// PGRST000: the database cannot be reached (PostgREST's message). Retry-After says when to try
    /// again: Hearth is already reconnecting (or restarting its embedded PostgreSQL).
    /// </summary>
    public static ApiException DatabaseUnavailable(string details, int retryAfterSeconds = 1) =>
        Error(503, "PGRST000", "Database connection error. Retrying the connection.", details,
            headers: new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>PGRST003: no API connection came free within --db-pool-acquisition-timeout (PostgREST's wording and status).</summary>
    public static ApiException PoolTimeout() => Error(504, "PGRST003", "Timed out acquiring connection from connection pool.");

    /// <summary>PGRST116: application/vnd.pgrst.object+json, but not exactly one row.</summary>
    public static ApiException NotSingular(long rows) =>
        Error(406, "PGRST116", "JSON object requested, multiple (or no) rows returned", $"The result contains {rows} rows");

    /// <summary>PGRST124: Prefer: handling=strict, max-affected=N and more rows changed (the transaction rolls back).</summary>
    public static ApiException MaxAffectedExceeded(long affected) =>
        Error(400, "PGRST124", "Query result exceeds max-affected preference constraint", $"The query affects {affected} rows");

    /// <summary>PGRST111: response.headers set to something that is not an array of one-key objects.</summary>
    public static ApiException InvalidResponseHeaders() =>
        Error(500, "PGRST111", "response.headers guc must be a JSON array composed of objects with a single key and a string value");

    /// <summary>PGRST112: response.status set to something that is not a status code.</summary>
    public static ApiException InvalidResponseStatus() => Error(500, "PGRST112", "response.status guc must be a valid status code");

    /// <summary>HRTH500: a bug; logged, answered without details.</summary>
    public static ApiException Internal() => Error(500, "HRTH500", "Internal server error");
}
