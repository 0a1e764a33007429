using Microsoft.Extensions.Logging;
using MysticMind.PostgresEmbed;

namespace Hearth.Hosting;

/// <summary>
/// The PostgreSQL that Hearth runs inside its data dir, through MysticMind.PostgresEmbed: a persistent
/// named instance, fsync on, locale C.UTF-8, listening only on a private Unix socket; with
/// <paramref name="walArchiveDir"/>, archiving its WAL there (Backup/WalArchive).
/// </summary>
public sealed class EmbeddedPostgres(DataDirLayout layout, ILogger logger, string? walArchiveDir = null) : IAsyncDisposable
{
    private DataDirLock? _lock;
    private PgServer? _server;
    private PgServerOptions? _options;
    // Start, restart and stop never overlap (the supervisor restarts while a SIGTERM may be stopping).
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _stopped;
    private readonly Lock _startLock = new();
    private Task? _starting;
    // The postmaster when Hearth started it itself (PostmasterLauncher); kept so its exit is reaped.
    private System.Diagnostics.Process? _postmaster;
    private string? _postgresBin;
    private DatabaseAccount? _account;

    public const string LogCategory = "Hearth.Postgres";

    /// <summary>
    /// `serve` with the embedded server: starts it right away, before the web host is built, so the two
    /// overlap (DatabaseLifetime waits for it). Null with --database-url.
    /// </summary>
    public static EmbeddedPostgres? BeginStart(HearthOptions options, ILoggerFactory loggers)
    {
        if (options.DatabaseUrl is not null || options.AdminDatabaseUrl is not null) return null;
        var postgres = new EmbeddedPostgres(DataDirLayout.For(options.DataDir), loggers.CreateLogger(LogCategory), options.WalArchiveDir);
        _ = postgres.StartAsync(CancellationToken.None);
        return postgres;
    }

    /// <summary>
    /// Starts PostgreSQL once; later calls wait for that same start. `serve` begins it before it builds the
    /// web host, so PostgreSQL's own start overlaps with Hearth's.
    /// </summary>
    public Task StartAsync(CancellationToken ct)
    {
        lock (_startLock) _starting ??= Task.Run(() => StartCoreAsync(ct), CancellationToken.None);
        return _starting.WaitAsync(ct);
    }

    private async Task StartCoreAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(layout.Root);
        _lock = DataDirLock.Acquire(layout.Root);
        var install = PostgresInstall.Locate(logger);
        Directory.CreateDirectory(layout.InstanceDir);
        Directory.CreateDirectory(layout.SocketDir);
        // A new data dir starts from the template cluster (made by initdb at build time) instead of running initdb.
        var newCluster = !Directory.Exists(layout.ClusterDir);
        DiskSpace.EnsureRoomToStart(layout.Root, newCluster);
        var fromTemplate = newCluster && PostgresFiles.TryCreateClusterFromTemplate(layout.ClusterDir, install.BinariesDir);
        if (fromTemplate) logger.LogInformation("New cluster created from the template in {ClusterDir}", layout.ClusterDir);
        _postgresBin = Path.Combine(install.InstallDir, "bin", "postgres");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(layout.SocketDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (Posix.IsRoot) install = RunAsUnprivileged(install, handOverCluster: fromTemplate);
        }
        if (walArchiveDir is not null)
            Backup.WalArchive.Prepare(walArchiveDir, !OperatingSystem.IsWindows() && Posix.IsRoot ? DatabaseAccount.Ensure(DatabaseAccount.DefaultName) : null);

        _options = new PgServerOptions
        {
            PgVersion = install.Version,
            DbDir = layout.Root,
            BinariesDir = install.BinariesDir,
            InstanceName = DataDirLayout.InstanceName,
            Port = DataDirLayout.SocketPort,
            Locale = "C.UTF-8",
            Logger = logger,
            ServerParams = new Dictionary<string, string>
            {
                // The library writes fsync=off first; ours comes after it in pg_embed.conf and wins.
                ["fsync"] = "on",
                ["synchronous_commit"] = "on",
                ["listen_addresses"] = "",
                ["unix_socket_directories"] = layout.SocketDir,
                ["unix_socket_permissions"] = "0700",
                // Realtime reads changes by logical replication (pgoutput). Set at every start, so data dirs
                // made before it get it too; PostgreSQL's defaults allow 10 WAL senders and slots.
                ["wal_level"] = "logical",
                // PostgreSQL sizes WAL buffers at 1/32 of shared_buffers (4 MB) and zeroes them at start, so
                // they are resident from the first second. Each commit flushes them; 2 MB still holds several
                // concurrent bulk inserts' WAL (1,000 rows are ~150 kB); see README, "Speed and memory".
                ["wal_buffers"] = "2MB",
            },
        };
        if (walArchiveDir is not null)
            foreach (var (key, value) in Backup.WalArchive.ServerParams(walArchiveDir)) _options.ServerParams[key] = value;
        _server = new PgServer(_options);
        await StartWithRecoveryAsync(ct);
        // An unhandled exception ends the process without any async cleanup: stop PostgreSQL there too.
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
    }

    /// <summary>Root run: hand the instance to the unprivileged account and route initdb/pg_ctl through it.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private PostgresInstall RunAsUnprivileged(PostgresInstall install, bool handOverCluster)
    {
        var account = _account = DatabaseAccount.Ensure(DatabaseAccount.DefaultName);
        CheckReachable(layout.Root, account);
        if (handOverCluster) Posix.ChownTree(layout.InstanceDir, account.Uid, account.Gid);
        else Posix.Chown(layout.InstanceDir, account.Uid, account.Gid);
        Posix.Chown(layout.SocketDir, account.Uid, account.Gid);
        logger.LogInformation("Running as root: PostgreSQL runs as the unprivileged user {User}", account.Name);
        var reachable = install.ReachableBy(account);
        _postgresBin = Path.Combine(reachable.InstallDir, "bin", "postgres");
        return reachable.WithUnprivilegedShim(layout.ShimDir, account);
    }

    /// <summary>A failed start is retried while the old postmaster (after a kill -9) is being reaped.</summary>
    private async Task StartWithRecoveryAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await LaunchAsync(_server!, ct);
                return;
            }
            catch (PostgresEmbedException e) when (attempt < 5 && !ct.IsCancellationRequested)
            {
                logger.LogWarning("PostgreSQL did not start (attempt {Attempt}): {Message}", attempt, FirstLine(e.Message));
                await Task.Delay(TimeSpan.FromMilliseconds(400 * attempt), ct);
            }
            catch (PostgresEmbedException e)
            {
                throw new HearthStartupException($"PostgreSQL did not start. See {layout.LogFile}.\n{e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Starts the postmaster: an existing cluster directly (<see cref="PostmasterLauncher"/>, ready as soon
    /// as PostgreSQL is), a cluster still to be made by initdb through the library. After a kill -9 of
    /// Hearth its postmaster may still run (orphaned): it is stopped and started again so our settings apply.
    /// </summary>
    private async Task LaunchAsync(PgServer server, CancellationToken ct)
    {
        if (PostmasterLauncher.Setsid is not { } setsid || _postgresBin is null || !File.Exists(Path.Combine(layout.ClusterDir, "PG_VERSION")))
        {
            await server.StartAsync(ct);
            if (server.IsAttached)
            {
                logger.LogWarning("Found a PostgreSQL left running by an earlier Hearth; restarting it");
                await server.StopAsync(ct);
                await server.StartAsync(ct);
            }
            return;
        }
        if ((await server.GetStatusAsync(ct)).State != PgInstanceState.Stopped)
        {
            logger.LogWarning("Found a PostgreSQL left running by an earlier Hearth; restarting it");
            await server.StopAsync(ct);
        }
        PostmasterLauncher.WriteServerConfig(layout.ClusterDir, DataDirLayout.SocketPort, _options!.ServerParams);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var postmaster = await PostmasterLauncher.StartAsync(setsid, _postgresBin, layout.ClusterDir, layout.LogFile, _account, _options.StartupTimeout, ct);
        if (_postmaster is { HasExited: true } old) old.Dispose();
        _postmaster = postmaster;
        logger.LogInformation("PostgreSQL {Version} ready in {Elapsed} ms ({ClusterDir})", _options.PgVersion, watch.ElapsedMilliseconds, layout.ClusterDir);
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0];

    /// <summary>PostgreSQL runs as <paramref name="account"/>, so it must be able to walk to the data dir.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void CheckReachable(string dataDir, DatabaseAccount account)
    {
        for (var dir = new DirectoryInfo(dataDir); dir is not null; dir = dir.Parent)
        {
            var mode = File.GetUnixFileMode(dir.FullName);
            if ((mode & UnixFileMode.OtherExecute) == 0)
                throw new HearthStartupException(
                    $"PostgreSQL runs as the unprivileged user '{account.Name}' when Hearth runs as root, and it cannot reach the data dir '{dataDir}': " +
                    $"'{dir.FullName}' is not traversable by other users. Use a data dir outside it (e.g. --data-dir /var/lib/hearth) or 'chmod o+x {dir.FullName}'.");
        }
    }

    /// <summary>
    /// Whether the postmaster still runs, from PostgreSQL's own postmaster.pid plus a liveness check of
    /// that process (a pid file left by a dead postmaster counts as stopped).
    /// </summary>
    public async Task<bool> IsRunningAsync(CancellationToken ct)
    {
        if (_server is not { } server) return false;
        var status = await server.GetStatusAsync(ct);
        return status.State != PgInstanceState.Stopped;
    }

    /// <summary>Set once Hearth stops PostgreSQL on purpose (shutdown, crash): nothing may restart it then.</summary>
    public bool IsStopped => _stopped;

    /// <summary>False while the data dir's disk is so full that a restart cannot work (see <see cref="DiskSpace"/>).</summary>
    public bool HasRoomToRestart => DiskSpace.FreeBytes(layout.Root) is not { } free || free >= DiskSpace.MinFreeToRestartBytes;

    /// <summary>
    /// One attempt to start PostgreSQL again after its postmaster died (crash recovery runs). A fresh
    /// <see cref="PgServer"/> is used: the old one believes it still runs its server. The caller retries
    /// with backoff; failures (disk full, shared memory still held by dying backends) are expected.
    /// </summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_stopped || _options is null) return;
            if (_server is { } old)
            {
                // Only while nothing runs: disposing stops "its" server, which must never be a new one.
                if ((await old.GetStatusAsync(ct)).State != PgInstanceState.Stopped) return;
                _server = null;
                await old.DisposeAsync();
            }
            var server = new PgServer(_options);
            try
            {
                await LaunchAsync(server, ct);
                _server = server;
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync()
    {
        // A start still under way (begun early by `serve`) finishes first; whatever it left running is stopped below.
        if (Volatile.Read(ref _starting) is { } starting)
            try { await starting; } catch { /* reported by whoever awaited the start */ }
        await _gate.WaitAsync();
        try
        {
            if (_stopped && _server is null) return; // stopped already
            _stopped = true;
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
            // After a failed or cancelled restart there may be no PgServer, yet a postmaster that came up
            // late: a fresh one stops the instance's server whoever started it.
            var server = _server ?? (_options is null ? null : new PgServer(_options));
            if (server is not null)
            {
                await server.StopAsync();
                await server.DisposeAsync();
                _server = null;
            }
            // pg_ctl's stop returns once postmaster.pid is gone, a moment before the postmaster itself exits: wait for
            // the process we started too, so that when Hearth has stopped, its PostgreSQL has (a loaded machine widens that moment).
            if (_postmaster is { } postmaster)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                try { await postmaster.WaitForExitAsync(wait.Token); }
                catch (OperationCanceledException) { logger.LogWarning("PostgreSQL's postmaster had not exited 5 s after it stopped"); }
                catch (InvalidOperationException) { /* not a process we can wait for: nothing to do */ }
            }
            _postmaster?.Dispose();
            _postmaster = null;
            _lock?.Dispose();
            _lock = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        logger.LogCritical("Hearth is crashing ({Error}); stopping PostgreSQL", (e.ExceptionObject as Exception)?.Message);
        EmergencyStop(TimeSpan.FromSeconds(5));
    }

    /// <summary>
    /// Last resort on a fatal path (unhandled exception) where nothing async may run any more: ask the
    /// postmaster for a fast shutdown (SIGINT), wait a little, then an immediate one (SIGQUIT).
    /// </summary>
    public void EmergencyStop(TimeSpan wait)
    {
        if (_stopped || OperatingSystem.IsWindows()) return;
        _stopped = true;
        var pidFile = Path.Combine(layout.ClusterDir, "postmaster.pid");
        int pid;
        try
        {
            if (!int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out pid)) return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        if (!Posix.Signal(pid, Posix.SigInt)) return;
        var deadline = DateTime.UtcNow + wait;
        while (DateTime.UtcNow < deadline && Posix.Signal(pid, 0)) Thread.Sleep(50);
        if (Posix.Signal(pid, 0)) Posix.Signal(pid, Posix.SigQuit);
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
