using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server Hearth did not start, for the --database-url tests, with the least-privilege roles
/// of tests/external/roles.sql (hearth_owner, authenticator, the API roles).
/// HEARTH_TEST_PG_BIN set (CI's external job: /usr/lib/postgresql/15/bin): a cluster of its own started by
/// tests/external/start-postgres.sh on a free 127.0.0.1 port, and with HEARTH_TEST_POOLER=1 PgBouncer in
/// transaction mode in front (tests/external/start-pgbouncer.sh) — API URLs then go through PgBouncer.
/// Otherwise: another Hearth's embedded PostgreSQL, reached over its socket.
/// </summary>
public class ExternalServer : IAsyncInitializer, IAsyncDisposable
{
    public const string AuthenticatorPassword = "authenticator-pw";
    public const string OwnerPassword = "owner-pw";
    public const string SuperuserPassword = "postgres-pw";
    /// <summary>hearth_replicator (LOGIN REPLICATION, tests/external/roles.sql): --database-replication-url's user.</summary>
    public const string ReplicatorPassword = "replicator-pw";

    private readonly TempDir _dir = new("extpg");
    private HearthProcess? _embedded;
    private int _pgPort;
    private int _poolerPort;

    public static string? PgBin => Environment.GetEnvironmentVariable("HEARTH_TEST_PG_BIN") is { Length: > 0 } bin ? bin : null;

    /// <summary>API URLs go through PgBouncer (transaction pooling): Hearth must run with --db-prepared-statements false.</summary>
    public bool Pooled { get; } = PgBin is not null && Environment.GetEnvironmentVariable("HEARTH_TEST_POOLER") == "1";

    /// <summary>The flags every Hearth on this server gets (the pooler's one).</summary>
    public IEnumerable<string> PoolerFlags => Pooled ? ["--db-prepared-statements", "false"] : [];

    public async Task InitializeAsync()
    {
        if (PgBin is not null)
        {
            _pgPort = FreePort();
            await ScriptAsync("start-postgres.sh", "start");
            if (Pooled)
            {
                _poolerPort = FreePort();
                await ScriptAsync("start-pgbouncer.sh", "start");
            }
        }
        else
        {
            _embedded = await HearthProcess.ServeAsync(_dir.Combine("data"));
            await Db.ExecAsync(SuperuserConnectionString(), File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "external", "roles.sql")));
        }
    }

    /// <summary>The server's version number (server_version_num), e.g. 150018.</summary>
    public Task<int> VersionNumAsync() => Db.ScalarAsync<int>(SuperuserConnectionString(), "select current_setting('server_version_num')::int");

    public string SuperuserConnectionString(string database = "postgres") => PgBin is not null
        ? new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = _pgPort, Username = "postgres", Password = SuperuserPassword, Database = database, Pooling = false }.ConnectionString
        : Db.ConnectionString(_dir.Combine("data"), database);

    /// <summary>A fresh database owned by hearth_owner, and the URLs Hearth is given for it.</summary>
    public async Task<ExternalDatabase> NewDatabaseAsync()
    {
        var name = "ext_" + Guid.NewGuid().ToString("N")[..12];
        await Db.ExecAsync(SuperuserConnectionString(), $"create database {name} owner hearth_owner");
        return new ExternalDatabase(name, Url("authenticator", AuthenticatorPassword, name, viaPooler: Pooled),
            Url("hearth_owner", OwnerPassword, name, viaPooler: false), SuperuserConnectionString(name));
    }

    /// <summary>A URL for any role (a test's own least-privileged one), the way the API connects.</summary>
    public string Url(string user, string password, string database, bool viaPooler) => PgBin is not null
        ? $"postgresql://{user}:{password}@127.0.0.1:{(viaPooler ? _poolerPort : _pgPort)}/{database}"
        : $"postgresql://{user}@/{database}?host={Uri.EscapeDataString(Path.Combine(_dir.Combine("data"), "run"))}";

    /// <summary>Stops the server (fast shutdown: sessions are cut, as in a crash or failover).</summary>
    public async Task StopServerAsync()
    {
        if (PgBin is not null) await ScriptAsync("start-postgres.sh", "stop");
        else await _embedded!.StopAsync();
    }

    public async Task StartServerAsync()
    {
        if (PgBin is not null) await ScriptAsync("start-postgres.sh", "start");
        else
        {
            await _embedded!.DisposeAsync();
            _embedded = await HearthProcess.ServeAsync(_dir.Combine("data"));
        }
    }

    /// <summary>
    /// Freezes (SIGSTOP) or thaws (SIGCONT) every process of the server, as a network partition looks to a
    /// client: connections stay open, nothing answers.
    /// </summary>
    public void Freeze(bool frozen)
    {
        var postmaster = PgBin is not null
            ? int.Parse(File.ReadLines(_dir.Combine("pg", "postmaster.pid")).First())
            : PostgresProcesses.PostmasterPid(_dir.Combine("data"))!.Value;
        // The embedded variant's Hearth too: its supervisor would take a frozen server for a dead one.
        var pids = new List<int> { postmaster };
        if (_embedded is not null) pids.Add(_embedded.Pid);
        pids.AddRange(Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == postmaster));
        foreach (var pid in pids) Signals.Send(pid, frozen ? 19 : 18);
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (IOException) { return 0; }
    }

    private async Task ScriptAsync(string script, string action)
    {
        var psi = new ProcessStartInfo("bash", [Path.Combine(RepoPaths.Root, "tests", "external", script), action])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.Environment["HEARTH_EXT_DIR"] = _dir.Path;
        psi.Environment["HEARTH_EXT_PG_PORT"] = _pgPort.ToString();
        psi.Environment["HEARTH_EXT_BOUNCER_PORT"] = _poolerPort.ToString();
        psi.Environment["PG_BIN"] = PgBin!;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script} {action} failed ({p.ExitCode}): {await stderr}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (PgBin is not null)
        {
            try
            {
                if (Pooled) await ScriptAsync("start-pgbouncer.sh", "stop");
                await ScriptAsync("start-postgres.sh", "stop");
            }
            catch (InvalidOperationException) { /* already stopped */ }
        }
        else if (_embedded is not null) await _embedded.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>One test's database: the authenticator's URL (--database-url), the owner's (--admin-database-url), a superuser connection for checks.</summary>
public sealed record ExternalDatabase(string Name, string ApiUrl, string AdminUrl, string Superuser);

/// <summary>A private server for tests that stop and start it (the restart scenario).</summary>
public sealed class PrivateExternalServer : ExternalServer;
