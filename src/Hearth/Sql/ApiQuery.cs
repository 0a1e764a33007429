namespace Hearth.Sql;

/// <summary>
/// What the Sql stage gives the Data stage for one request: the main statement, whose row has the
/// <see cref="ResultColumns"/>, preceded by an EXPLAIN whose row estimate is the total (Prefer:
/// count=planned, or count=estimated past --db-max-rows); or, for application/vnd.pgrst.plan, only the
/// EXPLAIN of the main statement (<see cref="IsExplain"/>). The transaction's own setup statements (role,
/// request.*, pre-request) come with Data.TransactionSettings. Open parameters stay open: the executor fills them
/// from the request's values as it sends the statement.
/// <see cref="ReadsResponseSettings"/>: the row carries response.headers/status, which are validated after the
/// statement ran (an invalid value rolls a write back), so such a transaction cannot end in the same round trip.
/// <see cref="IsWrite"/>: the row may carry response_inserted and response_location (only writes fill them).
/// </summary>
public sealed record ApiQuery(SqlStatement Main, SqlStatement? PlannedCount = null, bool IsExplain = false, bool ReadsResponseSettings = true,
    bool IsWrite = false);
