namespace Hearth;

/// <summary>Everything `hearth serve` / `hearth migrate` was told, after flags and HEARTH_* variables.</summary>
public sealed record HearthOptions
{
    public string DataDir { get; init; } = "./hearth-data";
    public string? MigrationsDir { get; init; }
    public string Host { get; init; } = "127.0.0.1";
    public int Port { get; init; } = 3000;
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];
    public string AnonRole { get; init; } = "anon";
    /// <summary>An external PostgreSQL (URL or Npgsql connection string); no embedded server when set.</summary>
    public string? DatabaseUrl { get; init; }
    public bool LogRequests { get; init; }
    public bool DbAggregatesEnabled { get; init; }
    public bool DbPlanEnabled { get; init; }
    /// <summary>Sidecar mode (desktop apps): free loopback port, JSON handshake, bearer token, exit with the parent.</summary>
    public bool Sidecar { get; init; }
    public string? AppId { get; init; }

    /// <summary>commit | commit-allow-override | rollback | rollback-allow-override (PostgREST's db-tx-end).</summary>
    public string DbTxEnd { get; init; } = "commit";
}
