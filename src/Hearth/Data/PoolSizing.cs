namespace Hearth.Data;

/// <summary>
/// How many connections Hearth may hold, so that it never asks PostgreSQL for more than it allows: a
/// request past the server's limit fails with 53300 ("remaining connection slots are reserved…"), while
/// one past the pool's limit waits for a free connection and, after --db-pool-acquisition-timeout,
/// gets PostgREST's 504 PGRST003.
/// </summary>
public static class PoolSizing
{
    /// <summary>PostgREST's db-pool default, used with --database-url (the server is shared with others).</summary>
    public const int ExternalDefault = 10;

    /// <summary>PostgREST's db-pool-acquisition-timeout default, in seconds.</summary>
    public const int DefaultAcquisitionTimeoutSeconds = 10;

    /// <summary>Npgsql refuses a larger Timeout (its NpgsqlConnection.TimeoutLimit).</summary>
    public const int MaxAcquisitionTimeoutSeconds = 1024;

    /// <summary>A sanity bound for --db-pool (Npgsql allocates a slot array of this size).</summary>
    public const int MaxPoolSize = 10_000;

    /// <summary>
    /// The administrative pool (migrations, schema cache, /ready): one connection at a time in practice,
    /// a little more so a /ready probe never waits behind a schema reload.
    /// </summary>
    public const int AdminPoolSize = 3;

    /// <summary>The auth server's pool (/auth/v1: short transactions around bcrypt work, see AuthDataSource).</summary>
    public const int AuthPoolSize = 4;

    /// <summary>
    /// Embedded mode keeps this many slots free beyond Hearth's pools: for later realtime/replication
    /// needs (WAL senders have slots of their own, but a LISTEN session or one reading a logical slot with
    /// SQL is an ordinary connection) and for someone inspecting the database over its socket.
    /// </summary>
    public const int EmbeddedHeadroom = 10;

    /// <summary>
    /// The connections an ordinary (non-superuser) role such as `authenticator` can get: PostgreSQL keeps
    /// superuser_reserved_connections and reserved_connections (pg_use_reserved_connections, PostgreSQL
    /// 16+) back from it, and Hearth's own admin and auth-server connections use slots too.
    /// </summary>
    public static int Available(ServerLimits limits) =>
        limits.MaxConnections - limits.SuperuserReserved - limits.Reserved - AdminPoolSize - AuthPoolSize;

    /// <summary>The embedded default: what is available, less the headroom; at least one connection.</summary>
    public static int EmbeddedDefault(ServerLimits limits) => Math.Max(1, Available(limits) - EmbeddedHeadroom);
}

/// <summary>The server settings the pool size is derived from.</summary>
public readonly record struct ServerLimits(int MaxConnections, int SuperuserReserved, int Reserved);
