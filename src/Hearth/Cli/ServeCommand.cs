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
        var txEnd = OptionFactory.Text("--db-tx-end", "How write transactions end: commit, commit-allow-override, rollback, rollback-allow-override.", "commit");
        txEnd.AcceptOnlyFromAmong("commit", "commit-allow-override", "rollback", "rollback-allow-override");

        var command = new Command("serve", "Start the embedded PostgreSQL (unless --database-url), apply migrations and serve the HTTP API.");
        common.AddTo(command);
        foreach (var o in new Option[] { host, port, schemas, anonRole, logRequests, aggregates, plan, txEnd }) command.Options.Add(o);
        command.Validators.Add(r =>
        {
            if (ParseSchemas(r.GetValue(schemas)).Count == 0) r.AddError("--schemas: give at least one schema name.");
        });
        command.SetAction((r, ct) => CommandRunner.RunAsync(() => HearthServer.RunAsync(common.Read(r) with
        {
            Host = r.GetValue(host) ?? "127.0.0.1",
            Port = r.GetValue(port),
            Schemas = ParseSchemas(r.GetValue(schemas)),
            AnonRole = r.GetValue(anonRole) ?? "anon",
            LogRequests = r.GetValue(logRequests),
            DbAggregatesEnabled = r.GetValue(aggregates),
            DbPlanEnabled = r.GetValue(plan),
            DbTxEnd = r.GetValue(txEnd) ?? "commit",
        })));
        return command;
    }

    private static List<string> ParseSchemas(string? value) =>
        (value ?? "public").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
