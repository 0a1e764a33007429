using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Realtime;

/// <summary>A Hearth with the realtime fixture tables (notes with RLS, items, vault) and the tests' JWT secret.</summary>
public class RealtimeHearth() : HearthFixture("realtime", "realtime_migrations")
{
    public string DataDir => Dir("data");
    public string Sql => Db.ConnectionString(DataDir);

    protected override IDictionary<string, string> Environment => new Dictionary<string, string>(Settings) { ["HEARTH_JWT_SECRET"] = Jwt.Secret };

    protected virtual IDictionary<string, string> Settings => new Dictionary<string, string>();

    public Task<PhoenixSocket> ConnectAsync(string? apiKey = null, string vsn = "2.0.0", bool read = true) =>
        PhoenixSocket.ConnectAsync(Process.BaseUrl, apiKey, vsn, read);
}

/// <summary>Small limits: 4 connections, 20 queued messages per client.</summary>
public sealed class LimitedRealtimeHearth : RealtimeHearth
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["HEARTH_REALTIME_MAX_CONNECTIONS"] = "4",
        ["HEARTH_REALTIME_MAX_QUEUED_MESSAGES"] = "20",
    };
}

/// <summary>Changes kept for resuming change streams 2 seconds only.</summary>
public sealed class ShortRetentionRealtimeHearth : RealtimeHearth
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string> { ["HEARTH_REALTIME_SSE_RETENTION"] = "2s" };
}

/// <summary>A Hearth of its own for the replication slot's lifecycle (its PostgreSQL is killed).</summary>
public sealed class SlotRealtimeHearth : RealtimeHearth;
