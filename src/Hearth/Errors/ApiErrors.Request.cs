namespace Hearth.Errors;

/// <summary>
/// The catalogue of every error the REST API raises itself: each PostgREST code, status and message is
/// written once, here; call sites name the error. One partial file per stage that raises them.
/// This file: reading the request (URL, headers, body) — before the schema cache is consulted.
/// </summary>
public static partial class ApiErrors
{
    /// <summary>PGRST100: the query string could not be parsed.</summary>
    public static ApiException Parse(string message, string? details = null) => Error(400, "PGRST100", message, details);

    /// <summary>PGRST102: a body that is not valid JSON/CSV/form data for the request, or cannot be read as text at all.</summary>
    public static ApiException InvalidBody(string details) => InvalidPayload("Empty or invalid json", details);

    /// <summary>PGRST102 with PostgREST's message for the case ("All object keys must match", "Empty or invalid json", …).</summary>
    public static ApiException InvalidPayload(string message, string? details = null) => Error(400, "PGRST102", message, details);

    /// <summary>PGRST103: a Range header or limit that cannot be satisfied; with the total, the offset is past the end (Content-Range */total).</summary>
    public static ApiException RangeNotSatisfiable(string details, long? total = null) => Error(416, "PGRST103", "Requested range not satisfiable", details,
        headers: total is { } t ? new Dictionary<string, string> { ["Content-Range"] = "*/" + t.ToString(System.Globalization.CultureInfo.InvariantCulture) } : null);

    /// <summary>PGRST106: the requested schema is not one of the exposed schemas.</summary>
    public static ApiException SchemaNotExposed(string schema, IEnumerable<string> exposed) =>
        Error(406, "PGRST106", "Invalid schema: " + schema, hint: $"Only the following schemas are exposed: {string.Join(", ", exposed)}");

    /// <summary>PGRST107: no acceptable media type.</summary>
    public static ApiException MediaTypeNotAvailable(string accept) => Error(406, "PGRST107", "None of these media types are available: " + accept);

    /// <summary>PGRST122: unknown preferences with Prefer: handling=strict.</summary>
    public static ApiException InvalidPreferences(IEnumerable<string> invalid) =>
        Error(400, "PGRST122", "Invalid preferences given with handling=strict", "Invalid preferences: " + string.Join(", ", invalid));

    /// <summary>PGRST125: a path that names no resource (/a/b/c).</summary>
    public static ApiException InvalidPath() => Error(404, "PGRST125", "Invalid path specified in request URL");

    /// <summary>PGRST101: a function called with a method other than GET/HEAD/POST.</summary>
    public static ApiException RpcMethodNotAllowed(string method) => Error(405, "PGRST101", $"Cannot use the {method} method on RPC");

    /// <summary>PGRST117: a method the API does not have.</summary>
    public static ApiException UnsupportedMethod(string method) => Error(405, "PGRST117", $"Unsupported HTTP method: {method}");

    /// <summary>HRTH413: the body is larger than --max-body-bytes (PostgREST leaves this to a proxy; Hearth is often exposed directly).</summary>
    public static ApiException BodyTooLarge(long? limit) =>
        Error(413, "HRTH413", "Request body too large", limit is { } l ? $"The limit is {l} bytes (--max-body-bytes)." : null);

    /// <summary>HRTH400: Kestrel refused the request itself (malformed framing, …).</summary>
    public static ApiException BadHttpRequest(int status, string message) => Error(status, "HRTH400", message);

    private static ApiException Error(int status, string code, string message, string? details = null, string? hint = null,
        IReadOnlyDictionary<string, string>? headers = null) =>
        new(new ApiError(code, details, hint, message) { Status = status, Headers = headers });

    /// <summary>Change streams (Accept: text/event-stream) are for tables, not /rpc.</summary>
    public static ApiException ChangeStreamOfFunction() => Error(405, "PGRST117", "Change streams are available for tables, not functions");

    /// <summary>A change stream names rows by primary key, so the table needs one.</summary>
    public static ApiException ChangeStreamNeedsPrimaryKey(string schema, string name) =>
        Error(400, "PGRST100", $"Change streams need a table with a primary key; {schema}.{name} is not one", hint: "Stream a table that has a primary key");

    /// <summary>The database cannot stream changes (wal_level, REPLICATION, publication): the reason in details.</summary>
    public static ApiException ChangeStreamsUnavailable(string why) => Error(503, "PGRST000", "Change streams are not available on this database", why);

    /// <summary>--realtime-max-connections reached.</summary>
    public static ApiException TooManyRealtimeConnections(int max) => Error(429, "PGRST000", $"Too many realtime connections (at most {max})");
}
