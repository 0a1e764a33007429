namespace Hearth.Request;

public enum TargetKind { Relation, Routine }

/// <summary>
/// What the client asked for, parsed from the URL, headers and body without touching the database.
/// Resource is a table/view name, or a function name when Kind is Routine (/rpc/name).
/// </summary>
public sealed record ApiRequest(
    string Method,
    string Schema,
    TargetKind Kind,
    string Resource,
    QueryParams Query,
    Preferences Prefer,
    RowRange Range,
    MediaType Accept,
    Payload? Body)
{
    public bool IsHead => Method == "HEAD";

    /// <summary>Set when Accept asked for application/vnd.pgrst.plan.</summary>
    public PlanSpec? Plan { get; init; }

    public bool IsRead => Method is "GET" or "HEAD";
}
