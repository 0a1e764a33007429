using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// Whether the database answers, as seen by requests, /ready and <see cref="DatabaseSupervisor"/>.
/// While it is down, requests are answered 503 at once (no connection attempt) and failures are
/// counted instead of logged: one line when it goes down, a summary every <see cref="SummaryInterval"/>,
/// one line when it is back. A dead database must not turn into thousands of log lines a minute.
/// </summary>
public sealed class DatabaseAvailability(ILogger<DatabaseAvailability> logger, TimeProvider time)
{
    public static readonly TimeSpan SummaryInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private volatile bool _down;
    private long _downSince;
    private long _lastSummary;
    private int _failedSinceSummary;
    private int _failedTotal;
    private string _lastError = "";
    private volatile int _retryAfterSeconds = 1;

    public bool IsDown => _down;

    /// <summary>The last connection error seen, for the details of fast 503s.</summary>
    public string LastError { get { lock (_lock) return _lastError; } }

    /// <summary>What a 503 tells clients in Retry-After: about when the next recovery attempt is due.</summary>
    public int RetryAfterSeconds => _retryAfterSeconds;

    public void SetRetryAfter(TimeSpan untilNextAttempt) =>
        _retryAfterSeconds = (int)Math.Clamp(Math.Ceiling(untilNextAttempt.TotalSeconds), 1, 60);

    /// <summary>A request or /ready could not use the database (connection refused, lost, in recovery).</summary>
    public void ReportFailure(string error)
    {
        lock (_lock)
        {
            _lastError = error;
            if (_down)
            {
                _failedSinceSummary++;
                _failedTotal++;
                return;
            }
            GoDown(error);
            _failedSinceSummary = _failedTotal = 1;
        }
    }

    /// <summary>A request answered 503 by the fast path while down; counted for the summary only.</summary>
    public void CountRejected()
    {
        lock (_lock)
        {
            _failedSinceSummary++;
            _failedTotal++;
        }
    }

    /// <summary>The supervisor saw the database go away (e.g. the postmaster died).</summary>
    public void MarkDown(string reason)
    {
        lock (_lock)
        {
            _lastError = reason;
            if (!_down) GoDown(reason);
        }
    }

    public void MarkUp()
    {
        lock (_lock)
        {
            if (!_down) return;
            _down = false;
            _retryAfterSeconds = 1;
            logger.LogInformation("Database available again after {Seconds:0.0} s ({Failed} requests answered 503 meanwhile)",
                time.GetElapsedTime(_downSince).TotalSeconds, _failedTotal);
        }
    }

    /// <summary>Called periodically by the supervisor: at most one summary line per interval while down.</summary>
    public void LogSummaryIfDue()
    {
        lock (_lock)
        {
            if (!_down || time.GetElapsedTime(_lastSummary) < SummaryInterval) return;
            logger.LogWarning("Database still unavailable after {Seconds:0} s: {Failed} requests answered 503 in the last {Interval:0} s; last error: {Error}",
                time.GetElapsedTime(_downSince).TotalSeconds, _failedSinceSummary, time.GetElapsedTime(_lastSummary).TotalSeconds, _lastError);
            _lastSummary = time.GetTimestamp();
            _failedSinceSummary = 0;
        }
    }

    private void GoDown(string reason)
    {
        _down = true;
        _downSince = _lastSummary = time.GetTimestamp();
        _failedSinceSummary = _failedTotal = 0;
        logger.LogWarning("Database unavailable: {Error}. Requests get 503 until it is back; failures are summarised every {Interval:0} s", reason, SummaryInterval.TotalSeconds);
    }
}
