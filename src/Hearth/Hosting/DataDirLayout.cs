namespace Hearth.Hosting;

/// <summary>Where everything lives inside a Hearth data directory.</summary>
public sealed record DataDirLayout(string Root)
{
    public const string InstanceName = "hearth";
    public const int SocketPort = 5432;

    public static DataDirLayout For(string dataDir) => new(Path.GetFullPath(dataDir));

    /// <summary>MysticMind.PostgresEmbed's working folder (it appends pg_embed to the DbDir we pass).</summary>
    public string EmbedDir => Path.Combine(Root, "pg_embed");

    /// <summary>The PostgreSQL instance: data/ (the cluster) and postgres.log.</summary>
    public string InstanceDir => Path.Combine(EmbedDir, InstanceName);

    public string ClusterDir => Path.Combine(InstanceDir, "data");

    public string LogFile => Path.Combine(InstanceDir, "postgres.log");

    /// <summary>Root runs only: wrappers that start initdb/pg_ctl as the unprivileged account.</summary>
    public string ShimDir => Path.Combine(EmbedDir, "shim");

    /// <summary>
    /// The private Unix socket directory. PostgreSQL listens on no TCP port, only here (mode 0700), so
    /// only Hearth's own user reaches it. Unix socket paths are limited to ~107 bytes, so a long data dir
    /// path falls back to a per-data-dir folder under the temp directory.
    /// </summary>
    public string SocketDir
    {
        get
        {
            var inside = Path.Combine(Root, "run");
            if (inside.Length + $"/.s.PGSQL.{SocketPort}.lock".Length < 100) return inside;
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Root)))[..16];
            return Path.Combine(Path.GetTempPath(), "hearth-" + hash);
        }
    }

    /// <summary>How Hearth connects: as the postgres superuser, over the private socket (trust auth there is safe).</summary>
    public string ConnectionString => new Npgsql.NpgsqlConnectionStringBuilder
    {
        Host = SocketDir,
        Port = SocketPort,
        Username = "postgres",
        Database = "postgres",
    }.ConnectionString;
}
