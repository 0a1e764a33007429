using System.CommandLine;
using Hearth.Hosting;

namespace Hearth.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var host = OptionFactory.Text("--host", "Address to listen on.", "127.0.0.1");
        var port = OptionFactory.Port("--port", "Port to listen on; 0 picks a free port.", 3000);
        var schemas = OptionFactory.Text("--schemas", "Comma-separated schemas exposed over HTTP; the first is the default.", "public");
        var anonRole = OptionFactory.Text("--anon-role", "Database role for requests without credentials.", "anon");
        var logRequests = OptionFactory.Flag("--log-requests", "Log one line per HTTP request.");
        var aggregates = OptionFactory.Flag("--db-aggregates-enabled", "Allow aggregate functions (count(), sum(), …) in select.");
        var plan = OptionFactory.Flag("--db-plan-enabled", "Allow the application/vnd.pgrst.plan media type (EXPLAIN).");
        var sidecar = OptionFactory.Flag("--sidecar", "Run as a desktop app's sidecar: free 127.0.0.1 port, one JSON handshake line on stdout, bearer token, exit when the parent exits or stdin closes.");
        var appId = OptionFactory.Text("--app-id", "Application id; in sidecar mode the data dir defaults to the per-user app data folder for it.");
        var txEnd = OptionFactory.Text("--db-tx-end", "How write transactions end: commit, commit-allow-override, rollback, rollback-allow-override.", "commit");
        txEnd.AcceptOnlyFromAmong("commit", "commit-allow-override", "rollback", "rollback-allow-override");

        var command = new Command("serve", "Start the embedded PostgreSQL (unless --database-url), apply migrations and serve the HTTP API.");
        common.AddTo(command);
        foreach (var o in new Option[] { host, port, schemas, anonRole, logRequests, aggregates, plan, txEnd, sidecar, appId }) command.Options.Add(o);
        command.Validators.Add(r =>
        {
            if (ParseSchemas(r.GetValue(schemas)).Count == 0) r.AddError("--schemas: give at least one schema name.");
            if (r.GetValue(sidecar) && r.GetValue(appId) is null && r.GetResult(common.DataDir) is null && Environment.GetEnvironmentVariable("HEARTH_DATA_DIR") is null)
                r.AddError("--sidecar needs --app-id (or --data-dir) to know where the app's data lives.");
            if (r.GetValue(appId) is { } id && (id.Length == 0 || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id is "." or ".."))
                r.AddError($"--app-id: '{id}' cannot be used as a folder name.");
        });
        command.SetAction((r, ct) => CommandRunner.RunAsync(() => HearthServer.RunAsync(common.Read(r) with
        {
            // Sidecars always take a free loopback port; the handshake line tells the app which.
            Host = r.GetValue(sidecar) ? "127.0.0.1" : r.GetValue(host) ?? "127.0.0.1",
            Port = r.GetValue(sidecar) ? 0 : r.GetValue(port),
            DataDir = DataDirFor(r, common, r.GetValue(sidecar), r.GetValue(appId)),
            Sidecar = r.GetValue(sidecar),
            AppId = r.GetValue(appId),
            Schemas = ParseSchemas(r.GetValue(schemas)),
            AnonRole = r.GetValue(anonRole) ?? "anon",
            LogRequests = r.GetValue(logRequests),
            DbAggregatesEnabled = r.GetValue(aggregates),
            DbPlanEnabled = r.GetValue(plan),
            DbTxEnd = r.GetValue(txEnd) ?? "commit",
        })));
        return command;
    }

    /// <summary>--data-dir / HEARTH_DATA_DIR when given; a sidecar's default is the per-user app data folder of --app-id.</summary>
    private static string DataDirFor(ParseResult r, CommonOptions common, bool sidecar, string? appId) =>
        sidecar && appId is not null && r.GetResult(common.DataDir) is null && Environment.GetEnvironmentVariable("HEARTH_DATA_DIR") is null
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), appId, "hearth-data")
            : r.GetValue(common.DataDir) ?? "./hearth-data";

    private static List<string> ParseSchemas(string? value) =>
        (value ?? "public").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
