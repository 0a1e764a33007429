namespace Hearth.Sql;

/// <summary>
/// The one row every main statement (read, write, call) returns, as PostgREST's statements do: the same
/// named columns in the same order, written only here and decoded only by Data.ResultDecoder, which reads
/// them in this order (sequential access) — the body last, so it streams out of the reader.
/// </summary>
public static class ResultColumns
{
    public const int TotalResultSet = 0;    // bigint: the exact count when asked for, else null
    public const int PageTotal = 1;         // bigint: rows in this response (rows changed, for a write)
    public const int ResponseHeaders = 2;   // text: response.headers as SQL set it, or null
    public const int ResponseStatus = 3;    // text: response.status as SQL set it, or null
    public const int ResponseInserted = 4;  // bigint: rows an upsert inserted (rather than updated), or null
    public const int ResponseLocation = 5;  // text[]: the primary key of an inserted row for Location, or null
    public const int Body = 6;              // text: JSON, a single JSON object or CSV, rendered by PostgreSQL

    /// <summary>
    /// The select list. Null writers are nulls of the column's type. When nothing in the database can set
    /// response.headers/status (Schema.SettingsUse), those are constant nulls: no lookups per statement.
    /// </summary>
    public static void Write(SqlWriter w, Action<SqlWriter>? total, Action<SqlWriter> pageTotal, bool responseSettings,
        Action<SqlWriter>? inserted, Action<SqlWriter>? location, Action<SqlWriter> body)
    {
        Column(w, total, "null::bigint", "total_result_set").Raw(", ");
        Column(w, pageTotal, null, "page_total").Raw(", ");
        w.Raw(responseSettings
            ? "nullif(current_setting('response.headers', true), '') as response_headers, nullif(current_setting('response.status', true), '') as response_status"
            : "null::text as response_headers, null::text as response_status").Raw(", ");
        Column(w, inserted, "null::bigint", "response_inserted").Raw(", ");
        Column(w, location, "null::text[]", "response_location").Raw(", ");
        Column(w, body, null, "body");
    }

    private static SqlWriter Column(SqlWriter w, Action<SqlWriter>? value, string? nullValue, string name)
    {
        if (value is null) w.Raw(nullValue!);
        else
        {
            w.Raw("(");
            value(w);
            w.Raw(")");
        }
        return w.Raw(" as ").Raw(name);
    }
}
