using Npgsql;

namespace Hearth.Realtime;

/// <summary>
/// The unpooled PostgreSQL sessions realtime holds: the logical replication stream, the lock that marks its slot
/// as in use, and, with several instances, LISTEN for the broadcast and presence relay. None of them survives a
/// transaction-mode pooler, so with --database-url they go to --database-replication-url, else
/// --admin-database-url, else --database-url; the embedded server is reached over its socket.
/// </summary>
public sealed class DirectConnection(HearthOptions options)
{
    /// <summary>Hearth runs on a database others may share (several instances): slots, locks and the relay are per instance.</summary>
    public bool External => options.DatabaseUrl is not null;

    /// <summary>Which flag the URL came from, for messages.</summary>
    public string Source => options.Realtime.ReplicationUrl is not null ? "--database-replication-url"
        : options.AdminDatabaseUrl is not null ? "--admin-database-url" : "--database-url";

    public string ConnectionString(string applicationName)
    {
        var url = options.Realtime.ReplicationUrl ?? options.AdminDatabaseUrl ?? options.DatabaseUrl;
        var source = url is not null ? Data.ConnectionStrings.FromUserInput(url) : Hosting.DataDirLayout.For(options.DataDir).ConnectionString;
        return new NpgsqlConnectionStringBuilder(source)
        {
            ApplicationName = applicationName,
            Pooling = false,
            // A database host that vanished without closing the connection is noticed within seconds.
            KeepAlive = 10,
            Timeout = 5,
        }.ConnectionString;
    }

    public async Task<NpgsqlConnection> OpenAsync(string applicationName, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(ConnectionString(applicationName));
        try { await conn.OpenAsync(ct); }
        catch { await conn.DisposeAsync(); throw; }
        return conn;
    }
}
