using System.CommandLine;
using Hearth.Hosting;

namespace Hearth.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var host = OptionFactory.Text("--host", "Address to listen on.", HearthOptions.DefaultHost);
        var port = OptionFactory.Port("--port", "Port to listen on; 0 picks a free port.", HearthOptions.DefaultPort);
        var schemas = OptionFactory.Text("--schemas", "Comma-separated schemas exposed over HTTP; the first is the default.", "public");
        var anonRole = OptionFactory.Text("--anon-role", "Database role for requests without a token; an empty value turns anonymous access off.", "anon");
        // Set but empty means "no anon role" here, unlike other variables.
        anonRole.DefaultValueFactory = _ => Environment.GetEnvironmentVariable("HEARTH_ANON_ROLE") ?? "anon";
        var jwtSecret = OptionFactory.Secret("--jwt-secret", "Key for verifying JWTs: a shared secret (HS256/384/512, at least 32 characters), a JWK or JWKS (RS*, ES*), or @file holding one. " +
            "A value given here is visible to other users in the process list: prefer HEARTH_JWT_SECRET or @file.");
        var jwtBase64 = OptionFactory.Flag("--jwt-secret-is-base64", "The shared secret is base64-encoded.");
        var jwtAud = OptionFactory.Text("--jwt-aud", "Audience tokens must name in their aud claim (when they have one).");
        var roleClaim = OptionFactory.Text("--jwt-role-claim-key", "Path of the role in the claims, e.g. .role or .\"https://example.com/claims\".role or $.app_metadata.roles[0].", ".role");
        var jwtCache = OptionFactory.Number("--jwt-cache-max-entries", "Verified tokens kept so a repeated token is checked once; 0 turns the cache off.", HearthOptions.DefaultJwtCacheMaxEntries);
        var preRequest = OptionFactory.Text("--db-pre-request", "Function (schema.name) called at the start of every request's transaction.");
        var maxRows = OptionFactory.Number("--db-max-rows", "Most rows a read returns at each level, whatever the client asks.", null, min: 1);
        var timeout = OptionFactory.Number("--db-statement-timeout", "statement_timeout of API requests in milliseconds (0: none); a role's own setting wins.", 0, max: int.MaxValue);
        var searchPath = OptionFactory.Text("--db-extra-search-path", "Comma-separated schemas put on the search_path after the request's schema (with --supabase: public, extensions).");
        var pool = OptionFactory.Number("--db-pool", "Most database connections for API requests; default: 10 with --database-url, else derived from the embedded server's max_connections.",
            null, min: 1, max: Data.PoolSizing.MaxPoolSize);
        // At most Npgsql's limit for its Timeout setting, which is what this becomes.
        var poolTimeout = OptionFactory.Number("--db-pool-acquisition-timeout", "Seconds a request waits for a free database connection before 504 PGRST003.",
            Data.PoolSizing.DefaultAcquisitionTimeoutSeconds, min: 1, max: Data.PoolSizing.MaxAcquisitionTimeoutSeconds);
        var maxBody = OptionFactory.Number("--max-body-bytes", "Largest request body accepted; larger ones get 413.", HearthOptions.DefaultMaxBodyBytes, min: 1);
        var storageDir = OptionFactory.Text("--storage-dir", "Folder of /storage/v1's files; default: <data-dir>/storage.");
        var storageLimit = OptionFactory.Text("--storage-file-size-limit", "Largest file /storage/v1 accepts, e.g. 50MiB or 1GB (KB/MB/GB count in 1024s, as config.toml); a bucket's own limit can only lower it. Default: [storage] file_size_limit of config.toml, else 50MiB.");
        var cors = OptionFactory.Text("--server-cors-allowed-origins", "Comma-separated origins allowed by CORS; unset: any origin (*).");
        var logRequests = OptionFactory.Flag("--log-requests", "Log one line per HTTP request.");
        var aggregates = OptionFactory.Flag("--db-aggregates-enabled", "Allow aggregate functions (count(), sum(), …) in select.");
        var plan = OptionFactory.Flag("--db-plan-enabled", "Allow the application/vnd.pgrst.plan media type (EXPLAIN).");
        var sidecar = OptionFactory.Flag("--sidecar", "Run as a desktop app's sidecar: free 127.0.0.1 port, one JSON handshake line on stdout, bearer token, exit when the parent exits or stdin closes.");
        var appId = OptionFactory.Text("--app-id", "Application id; in sidecar mode the data dir defaults to the per-user app data folder for it.");
        var txEnd = OptionFactory.Text("--db-tx-end", "How write transactions end: " + string.Join(", ", Data.TxEnd.Names) + ".", Data.TxEnd.DefaultName);
        txEnd.AcceptOnlyFromAmong([.. Data.TxEnd.Names]);
        var ops = new OperationsOptions();
        var realtimeOff = OptionFactory.Flag("--realtime-disabled", "Turn off /realtime/v1 (WebSocket channels) and change streams (Accept: text/event-stream).");
        var realtimeMax = OptionFactory.Number("--realtime-max-connections", "Most open realtime connections (WebSockets and change streams); more get 429.", 10_000, min: 1, max: int.MaxValue);
        var realtimeQueue = OptionFactory.Number("--realtime-max-queued-messages", "Messages waiting for one realtime client; a client further behind is disconnected with an error.", 1_000, min: 1, max: int.MaxValue);
        var sseRetention = OptionFactory.Text("--realtime-sse-retention", "How long committed changes are kept so a change stream can resume from Last-Event-ID: e.g. 30s, 5m, 1h; 0: not at all.", "5m");
        var replicationUrl = OptionFactory.Text("--database-replication-url",
            "With --database-url: the URL realtime's replication stream, slot lock and cross-instance relay use, straight to PostgreSQL (not through a transaction pooler); its user needs REPLICATION. Default: --admin-database-url, else --database-url.");
        var channel = OptionFactory.Text("--db-channel", "Channel whose NOTIFY 'reload schema' / 'reload config' reloads the schema cache (PostgREST's db-channel).", "pgrst");
        var channelEnabled = OptionFactory.Flag("--db-channel-enabled", "Listen on --db-channel; embedded: also reload after any DDL. --db-channel-enabled false turns both off.", fallback: true);
        var watch = OptionFactory.Flag("--watch", "Development: apply migration files that appear in the migrations folder while running, then reload.");
        var ephemeral = OptionFactory.Flag("--ephemeral", "Throwaway data dir (from the template), deleted on exit: for test suites, with --port 0 or --sidecar.");

        var command = new Command("serve", "Start the embedded PostgreSQL (unless --database-url), apply migrations and serve the HTTP API.");
        common.AddTo(command);
        foreach (var o in new Option[] { host, port, schemas, anonRole, jwtSecret, jwtBase64, jwtAud, roleClaim, jwtCache, preRequest, maxRows, timeout,
                     searchPath, pool, poolTimeout, maxBody, storageDir, storageLimit, cors, logRequests, aggregates, plan, txEnd, sidecar, appId,
                     realtimeOff, realtimeMax, realtimeQueue, sseRetention, replicationUrl, channel, channelEnabled, watch, ephemeral })
            command.Options.Add(o);
        ops.AddTo(command, common);
        command.Validators.Add(r =>
        {
            if (CommaList(r.GetValue(schemas)).Count == 0) r.AddError("--schemas: give at least one schema name.");
            if (r.GetValue(ephemeral) && (r.GetResult(common.DataDir) is not null || r.GetValue(common.DatabaseUrl) is not null))
                r.AddError("--ephemeral makes its own throwaway data dir: drop --data-dir and --database-url.");
            if (r.GetValue(replicationUrl) is not null && r.GetValue(common.DatabaseUrl) is null)
                r.AddError("--database-replication-url needs --database-url (the embedded server replicates over its own socket).");
            if (r.GetValue(watch) && r.GetValue(common.Migrations) is null && r.GetValue(common.Supabase) is null)
                r.AddError("--watch needs a migrations folder: --migrations DIR or --supabase DIR.");
            if (r.GetValue(sidecar) && !r.GetValue(ephemeral) && r.GetValue(appId) is null && !common.DataDirGiven(r))
                r.AddError("--sidecar needs --app-id (or --data-dir) to know where the app's data lives.");
            if (r.GetValue(appId) is { } id && (id.Length == 0 || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id is "." or ".."))
                r.AddError($"--app-id: '{id}' cannot be used as a folder name.");
            if (r.GetValue(sseRetention) is { } keep && DurationText.Parse(keep) is null)
                r.AddError($"--realtime-sse-retention: '{keep}' is not a duration such as 30s, 5m or 1h (0 turns resuming off).");
            if (r.GetValue(storageLimit) is { } size && !Storage.FileSize.TryParse(size, decimalUnits: false, out _))
                r.AddError($"--storage-file-size-limit: '{size}' is not a size (e.g. 50MiB, 1GB, 1048576).");
        });
        command.SetAction((r, ct) => CommandRunner.RunAsync(() => EphemeralDataDir.RunAsync(common.ReadWithProject(r, ops.Apply(r, common.Read(r) with
        {
            // Sidecars always take a free loopback port; the handshake line tells the app which.
            Host = r.GetValue(sidecar) ? HearthOptions.DefaultHost : r.GetValue(host) ?? HearthOptions.DefaultHost,
            Port = r.GetValue(sidecar) ? 0 : r.GetValue(port),
            DataDir = DataDirFor(r, common, r.GetValue(sidecar), r.GetValue(appId)),
            Sidecar = r.GetValue(sidecar),
            AppId = r.GetValue(appId),
            Schemas = CommaList(r.GetValue(schemas)),
            AnonRole = r.GetValue(anonRole) is { Length: > 0 } anon ? anon : null,
            JwtKeys = OptionFactory.SecretValue(r, jwtSecret) is { } secret ? Auth.JwtKeySet.Parse(secret, r.GetValue(jwtBase64), ReadKeyFile) : null,
            JwtAudience = r.GetValue(jwtAud),
            JwtRoleClaim = Auth.RoleClaimPath.Parse(r.GetValue(roleClaim) ?? ".role"),
            JwtCacheMaxEntries = (int)Math.Min(int.MaxValue, r.GetValue(jwtCache) ?? HearthOptions.DefaultJwtCacheMaxEntries),
            DbPreRequest = r.GetValue(preRequest),
            DbMaxRows = r.GetValue(maxRows),
            DbStatementTimeoutMs = (int)(r.GetValue(timeout) ?? 0),
            DbExtraSearchPath = r.GetValue(searchPath) is { } extra ? CommaList(extra) : HearthOptions.DefaultExtraSearchPath(supabase: false),
            DbPool = r.GetValue(pool) is { } size ? (int)size : null,
            DbPoolAcquisitionTimeoutSeconds = (int)(r.GetValue(poolTimeout) ?? Data.PoolSizing.DefaultAcquisitionTimeoutSeconds),
            MaxBodyBytes = r.GetValue(maxBody) ?? HearthOptions.DefaultMaxBodyBytes,
            Storage = new Storage.StorageOptions
            {
                Dir = r.GetValue(storageDir),
                FileSizeLimit = r.GetValue(storageLimit) is { } limit && Storage.FileSize.TryParse(limit, decimalUnits: false, out var bytes) ? bytes : Storage.StorageOptions.DefaultFileSizeLimit,
            },
            CorsAllowedOrigins = CommaList(r.GetValue(cors) ?? ""),
            LogRequests = r.GetValue(logRequests),
            DbAggregatesEnabled = r.GetValue(aggregates),
            DbPlanEnabled = r.GetValue(plan),
            DbTxEnd = Data.TxEnd.Parse(r.GetValue(txEnd) ?? Data.TxEnd.DefaultName),
            Realtime = new Realtime.RealtimeOptions
            {
                Enabled = !r.GetValue(realtimeOff),
                MaxConnections = (int)(r.GetValue(realtimeMax) ?? 10_000),
                MaxQueuedMessages = (int)(r.GetValue(realtimeQueue) ?? 1_000),
                SseRetention = DurationText.Parse(r.GetValue(sseRetention) ?? "") ?? Realtime.RealtimeOptions.DefaultSseRetention,
                ReplicationUrl = r.GetValue(replicationUrl),
            },
            DbChannel = r.GetValue(channel) ?? "pgrst",
            DbChannelEnabled = r.GetValue(channelEnabled),
            Watch = r.GetValue(watch),
            Ephemeral = r.GetValue(ephemeral),
        })), HearthServer.RunAsync)));
        return command;
    }

    /// <summary>--data-dir / HEARTH_DATA_DIR when given; a sidecar's default is the per-user app data folder of --app-id.</summary>
    private static string DataDirFor(ParseResult r, CommonOptions common, bool sidecar, string? appId) =>
        sidecar && appId is not null && !common.DataDirGiven(r.CommandResult)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), appId, "hearth-data")
            : r.GetValue(common.DataDir) ?? HearthOptions.DefaultDataDir;

    internal static string ReadKeyFile(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HearthStartupException($"--jwt-secret: cannot read {path}: {e.Message}");
        }
    }

    /// <summary>A comma-separated list (schemas, origins), blanks dropped.</summary>
    private static List<string> CommaList(string? value) =>
        (value ?? "public").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
