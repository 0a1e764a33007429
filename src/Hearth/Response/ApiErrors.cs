namespace Hearth.Response;

/// <summary>Factories for the PGRST errors Hearth raises itself, so codes and statuses live in one place.</summary>
public static class ApiErrors
{
    /// <summary>PGRST100: the query string could not be parsed.</summary>
    public static ApiException Parse(string message, string? details = null) =>
        new(new ApiError("PGRST100", details, null, message) { Status = 400 });

    /// <summary>PGRST205: the table or view is not in the schema cache.</summary>
    public static ApiException TableNotFound(string schema, string name, string? hint = null) =>
        new(new ApiError("PGRST205", null, hint, $"Could not find the table '{schema}.{name}' in the schema cache") { Status = 404 });

    /// <summary>PGRST106: the requested schema is not one of the exposed schemas.</summary>
    public static ApiException SchemaNotExposed(string schema, IEnumerable<string> exposed) =>
        new(new ApiError("PGRST106", null, $"Only the following schemas are exposed: {string.Join(", ", exposed)}",
            "Invalid schema: " + schema) { Status = 406 });

    /// <summary>
    /// PGRST000: the database cannot be reached (PostgREST's message). Retry-After says when to try
    /// again: Hearth is already reconnecting (or restarting its embedded PostgreSQL).
    /// </summary>
    public static ApiException DatabaseUnavailable(string details, int retryAfterSeconds = 1) =>
        new(new ApiError("PGRST000", details, null, "Database connection error. Retrying the connection.")
        {
            Status = 503,
            Headers = new Dictionary<string, string> { ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });

    /// <summary>PGRST003: no API connection came free within --db-pool-acquisition-timeout (PostgREST's wording and status).</summary>
    public static ApiException PoolTimeout() =>
        new(new ApiError("PGRST003", null, null, "Timed out acquiring connection from connection pool.") { Status = 504 });

    /// <summary>HRTH413: the body is larger than --max-body-bytes (PostgREST leaves this to a proxy; Hearth is often exposed directly).</summary>
    public static ApiException BodyTooLarge(long? limit) =>
        new(new ApiError("HRTH413", limit is { } l ? $"The limit is {l} bytes (--max-body-bytes)." : null, null, "Request body too large") { Status = 413 });

    /// <summary>PGRST102: a body that cannot be read as text at all (bad UTF-8, broken chunked framing).</summary>
    public static ApiException InvalidBody(string details) =>
        new(new ApiError("PGRST102", details, null, "Empty or invalid json") { Status = 400 });
}
