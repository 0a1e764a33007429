namespace Hearth.Request;

/// <summary>
/// What the client asked for, parsed from the URL and headers without touching the database.
/// Resource is the first path segment (a table or view name); Schema comes from the profile headers.
/// </summary>
public sealed record ApiRequest(
    string Method,
    string Schema,
    string Resource,
    QueryParams Query,
    Preferences Prefer,
    RowRange Range,
    MediaType Accept)
{
    public bool IsHead => Method == "HEAD";
}
