using Npgsql;

namespace Hearth.Data;

/// <summary>Accepts postgres:// URLs (as Supabase and hosting providers hand them out) or Npgsql connection strings.</summary>
public static class ConnectionStrings
{
    public static string FromUserInput(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;

        // libpq URI syntax: scheme://[user[:password]@][host[:port][,...]][/dbname][?param=value&...].
        // Parsed by hand: System.Uri rejects an empty host, which libpq allows (socket via ?host=/dir).
        var b = new NpgsqlConnectionStringBuilder();
        var rest = value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var query = "";
        if (rest.IndexOf('?') is var q and >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }
        if (rest.IndexOf('/') is var slash and >= 0)
        {
            if (rest[(slash + 1)..] is { Length: > 0 } db) b.Database = Uri.UnescapeDataString(db);
            rest = rest[..slash];
        }
        if (rest.LastIndexOf('@') is var at and >= 0)
        {
            var userInfo = rest[..at].Split(':', 2);
            if (userInfo[0].Length > 0) b.Username = Uri.UnescapeDataString(userInfo[0]);
            if (userInfo.Length > 1) b.Password = Uri.UnescapeDataString(userInfo[1]);
            rest = rest[(at + 1)..];
        }
        if (rest.Length > 0)
        {
            var hosts = Uri.UnescapeDataString(rest);
            var colon = hosts.LastIndexOf(':');
            if (!hosts.Contains(',') && colon > hosts.LastIndexOf(']') && int.TryParse(hosts.AsSpan(colon + 1), out var port))
            {
                b.Host = hosts[..colon].Trim('[', ']');
                b.Port = port;
            }
            else b.Host = hosts; // Npgsql understands "h1:5432,h2:5433" itself
        }
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            var v = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            switch (key)
            {
                case "host": b.Host = v; break;
                case "port": b.Port = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture); break;
                case "user": b.Username = v; break;
                case "password": b.Password = v; break;
                case "dbname": b.Database = v; break;
                case "sslmode": b.SslMode = Enum.Parse<SslMode>(v.Replace("-", ""), ignoreCase: true); break;
                case "application_name": b.ApplicationName = v; break;
                default: b[key] = v; break;
            }
        }
        return b.ConnectionString;
    }

    /// <summary>Settings every Hearth connection gets, embedded or external.</summary>
    /// <param name="preparedStatements">False behind a transaction pooler (--db-prepared-statements false): a
    /// statement prepared on one server session would be missing on the next transaction's.</param>
    public static string WithHearthDefaults(string connectionString, bool preparedStatements = true) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        ApplicationName = "hearth",
        // The SQL for one URL shape is the same text every time: let Npgsql prepare it once per connection.
        MaxAutoPrepare = preparedStatements ? 256 : 0,
        AutoPrepareMinUsages = 2,
        // Role and request settings are transaction-local (set_config(..., true)), so nothing leaks between
        // requests and the reset round trip is not needed.
        NoResetOnClose = true,
        // PostgREST passes PostgreSQL's error detail on to the client; Npgsql redacts it unless asked.
        IncludeErrorDetail = true,
    }.ConnectionString;

    /// <summary>
    /// An external server over TCP: a network partition must not hang a pooled connection for the OS's
    /// two-hour keepalive default. Idle connections are probed after 10 s and dropped after three unanswered
    /// probes 5 s apart; busy ones are bounded by the command timeout. Values in the URL win.
    /// </summary>
    public static string WithNetworkTimeouts(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (b.Host is null || b.Host.StartsWith('/') || b.Host.StartsWith('@')) return connectionString; // a Unix socket
        if (b.TcpKeepAliveTime == 0) b.TcpKeepAliveTime = 10;
        if (b.TcpKeepAliveInterval == 0) b.TcpKeepAliveInterval = 5;
        return b.ConnectionString;
    }

    /// <summary>
    /// The administrative pool (migrations, schema cache, /ready) stays small, so that it and the API pool
    /// together fit in the server's max_connections (see <see cref="PoolSizing"/>).
    /// </summary>
    public static string ForAdmin(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = PoolSizing.AdminPoolSize }.ConnectionString;
}
