namespace Hearth;

/// <summary>Everything `hearth serve` / `hearth migrate` was told, after flags and HEARTH_* variables.</summary>
public sealed record HearthOptions
{
    // Defaults, written once: flags, help texts and this record use these.
    public const string DefaultDataDir = "./hearth-data";
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 3000;
    public const long DefaultMaxBodyBytes = 10 * 1024 * 1024;
    public const int DefaultJwtCacheMaxEntries = 1000;

    public string DataDir { get; init; } = DefaultDataDir;
    public string? MigrationsDir { get; init; }
    public string Host { get; init; } = DefaultHost;
    public int Port { get; init; } = DefaultPort;
    public IReadOnlyList<string> Schemas { get; init; } = ["public"];
    /// <summary>The role of requests without a token; null turns anonymous access off (401 PGRST302).</summary>
    public string? AnonRole { get; init; } = "anon";
    /// <summary>An external PostgreSQL (URL or Npgsql connection string); no embedded server when set.</summary>
    public string? DatabaseUrl { get; init; }
    /// <summary>With <see cref="DatabaseUrl"/>: the owner role's URL for migrations, the baseline and the auth server.</summary>
    public string? AdminDatabaseUrl { get; init; }
    /// <summary>False behind a transaction pooler: no prepared statements and no session state (db-prepared-statements).</summary>
    public bool DbPreparedStatements { get; init; } = true;
    public bool LogRequests { get; init; }
    public bool DbAggregatesEnabled { get; init; }
    public bool DbPlanEnabled { get; init; }
    /// <summary>Sidecar mode (desktop apps): free loopback port, JSON handshake, bearer token, exit with the parent.</summary>
    public bool Sidecar { get; init; }
    public string? AppId { get; init; }

    /// <summary>Keys from --jwt-secret; null: no token can be verified, so any token is refused (PGRST300).</summary>
    public Auth.JwtKeySet? JwtKeys { get; init; }
    public Auth.RoleClaimPath JwtRoleClaim { get; init; } = Auth.RoleClaimPath.Default;
    public string? JwtAudience { get; init; }
    public int JwtCacheMaxEntries { get; init; } = DefaultJwtCacheMaxEntries;

    /// <summary>schema.function called at the start of every request's transaction (PostgREST's db-pre-request).</summary>
    public string? DbPreRequest { get; init; }
    /// <summary>The most rows a read (or RPC) returns at each level, whatever the client asks (db-max-rows).</summary>
    public long? DbMaxRows { get; init; }
    /// <summary>statement_timeout of API sessions in milliseconds; 0: none. A role's own setting wins.</summary>
    public int DbStatementTimeoutMs { get; init; }
    /// <summary>Schemas after the request's schema on the search_path (db-extra-search-path).</summary>
    public IReadOnlyList<string> DbExtraSearchPath { get; init; } = DefaultExtraSearchPath(supabase: false);
    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxBodyBytes { get; init; } = DefaultMaxBodyBytes;
    /// <summary>
    /// Most API connections (PostgREST's db-pool); null: PostgREST's 10 with --database-url, else what the
    /// embedded server's max_connections leaves (<see cref="Data.PoolSizing"/>).
    /// </summary>
    public int? DbPool { get; init; }
    /// <summary>Seconds a request waits for a free API connection before 504 PGRST003 (db-pool-acquisition-timeout).</summary>
    public int DbPoolAcquisitionTimeoutSeconds { get; init; } = Data.PoolSizing.DefaultAcquisitionTimeoutSeconds;
    /// <summary>Origins allowed by CORS; empty: any origin (*), as PostgREST's default.</summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary>What API sessions are set to between requests; a request sets only what differs.</summary>
    public Data.SessionDefaults SessionDefaults() => new(AnonRole, Data.SessionDefaults.SearchPathFor(Schemas[0], DbExtraSearchPath),
        AnonRole is null ? "{}" : Auth.ClaimsJson.Anonymous(AnonRole), DbStatementTimeoutMs) { Pooled = !DbPreparedStatements };

    /// <summary>--db-tx-end (PostgREST's db-tx-end), parsed once.</summary>
    public Data.TxEnd DbTxEnd { get; init; } = Data.TxEnd.Default;

    /// <summary>--db-extra-search-path's default; Supabase projects also get `extensions` (where uuid-ossp and pgcrypto live).</summary>
    public static IReadOnlyList<string> DefaultExtraSearchPath(bool supabase) => supabase ? ["public", "extensions"] : ["public"];

    /// <summary>--supabase DIR: a Supabase CLI project (config.toml, migrations/, seed.sql); null when not given.</summary>
    public string? SupabaseDir { get; init; }
    /// <summary>Seed files run once after the migrations of a brand-new database (--seed, or [db.seed] of config.toml).</summary>
    public IReadOnlyList<string> SeedFiles { get; init; } = [];
    /// <summary>[auth] settings of config.toml, kept for the /auth/v1 server.</summary>
    public AuthServer.AuthServerOptions AuthServer { get; init; } = new();
    /// <summary>/storage/v1: the storage folder and upload limit (--storage-dir, --storage-file-size-limit, [storage] of config.toml).</summary>
    public Storage.StorageOptions Storage { get; init; } = new();
    /// <summary>serve --wal-archive: folder the embedded PostgreSQL archives its WAL into (point-in-time restore).</summary>
    public string? WalArchiveDir { get; init; }
    /// <summary>--admin-port: loopback port of /live, /ready, /metrics and POST /backup; null: none.</summary>
    public int? AdminPort { get; init; }
    /// <summary>--admin-host: the admin listener's address (PostgREST's admin-server-host); loopback by default.</summary>
    public string AdminHost { get; init; } = DefaultAdminHost;
    public const string DefaultAdminHost = "127.0.0.1";
    /// <summary>--log-format: text (default) or json (one JSON object per line).</summary>
    public string LogFormat { get; init; } = "text";
    /// <summary>--tls-cert/--tls-key: PEM files; HTTPS when both are set, reloaded when they change.</summary>
    public string? TlsCertFile { get; init; }
    public string? TlsKeyFile { get; init; }
    /// <summary>--backup-schedule/--backup-keep/--backup-dir: scheduled backups (Backup/BackupSchedule).</summary>
    public TimeSpan? BackupInterval { get; init; }
    public int BackupKeep { get; init; } = 7;
    public string? BackupDir { get; init; }
    /// <summary>/realtime/v1 and change streams ([realtime] in config.toml, --realtime-* flags).</summary>
    public Realtime.RealtimeOptions Realtime { get; init; } = new();
    /// <summary>PostgREST's db-channel: NOTIFY on it with 'reload schema' / 'reload config' reloads the schema cache.</summary>
    public string DbChannel { get; init; } = "pgrst";
    /// <summary>PostgREST's db-channel-enabled: listen on <see cref="DbChannel"/> (and, embedded, notify it after DDL).</summary>
    public bool DbChannelEnabled { get; init; } = true;
    /// <summary>serve --watch: apply migration files that appear while running (development only).</summary>
    public bool Watch { get; init; }
    /// <summary>serve --ephemeral: a throwaway data dir, deleted on exit.</summary>
    public bool Ephemeral { get; init; }
    /// <summary>The HMAC secret tokens are verified with, when it is one (signs the anon/service_role keys).</summary>
    public byte[]? JwtSigningSecret { get; init; }
}
