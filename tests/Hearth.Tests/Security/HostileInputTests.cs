using System.Text.RegularExpressions;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.Http.Writes;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Security;

/// <summary>
/// A private Hearth (write fixtures, aggregates and EXPLAIN enabled) whose PostgreSQL logs every statement.
/// </summary>
public sealed class HostileHearth() : HearthFixture("hostile", "write_migrations")
{
    protected override Task<IEnumerable<string>> ArgsAsync() =>
        Task.FromResult<IEnumerable<string>>(["--db-aggregates-enabled", "--db-plan-enabled"]);

    public string LogFile => Path.Combine(Dir("data"), "pg_embed", "hearth", "postgres.log");

    public string Superuser => Db.ConnectionString(Dir("data"));
}

/// <summary>
/// Every position of a request that could reach SQL, filled with hostile text carrying a marker. Whatever
/// Hearth answers (never a 5xx), PostgreSQL's own statement log must show the marker only inside quoted
/// identifiers: request text reaches SQL as a parameter (not in the statement text) or as a quoted name.
/// </summary>
[ClassDataSource<HostileHearth>(Shared = SharedType.PerClass)]
public partial class HostileInputTests(HostileHearth hearth)
{
    private const string M = "xyzzy";

    /// <summary>(method, url, body, headers) — each names its position in the comment beside it.</summary>
    private static IEnumerable<(HttpMethod Method, string Url, string? Body, (string, string)[] Headers)> Corpus()
    {
        var get = HttpMethod.Get;
        var none = Array.Empty<(string, string)>();
        string[] selects =
        [
            $"id::text as {M} from w_items as t0 where false union all select name",     // cast (the reported injection)
            $"id::{M}", $"id::\"{M}\"", $"id::int4[]); select {M}--", $"id::text)::{M}",  // casts
            $"count()::{M}", $"id.sum()::{M}", $"id.sum()::text as {M}",                  // aggregate casts
            $"{M}:id", $"\"{M}\"\" from w_items; --\":id", $"{M} x:id",                   // aliases
            $"name->>{M}", $"name->'{M}'", $"name->\"{M}'; --\"", $"name->>0->{M}",       // JSON path keys
            $"{M}", $"\"{M}\"", $"*,w_parents!{M}(*)", $"*,{M}(*)", $"...{M}(*)",          // columns, embeds, hints
            $"id,w_children!parent_id(id,name->>{M})",
        ];
        foreach (var s in selects)
        {
            yield return (get, $"w_parents?select={Uri.EscapeDataString(s)}", null, none);
            yield return (HttpMethod.Post, $"w_items?select={Uri.EscapeDataString(s)}", $$"""{"name":"{{M}}"}""", [("Prefer", "return=representation,tx=rollback")]);
        }
        string[] queries =
        [
            $"name=eq.{M}'); drop table w_items; --", $"name=in.({M},\"a,{M}\")", $"name=like.*{M}*",      // filter values
            $"name=fts({M}).a", $"name=fts(english).{M}", $"name=is.{M}", $"name={M}.1", $"{M}=eq.1",     // fts language, operators, columns
            $"name->>{M}=eq.1", $"name->{M}->>0=eq.1",                                                   // JSON path filters
            $"or=({M}.eq.1,name.eq.{M})", $"and=(name.{M}.1)", $"not.or=(name.like.{M}*)",               // logic trees
            $"order={M}.desc", $"order=name.{M}", $"order=name->>{M}", $"order=w_parents({M})",         // order
            $"limit={M}", $"offset={M}", $"limit=1;{M}", $"w_children.limit={M}",                      // ranges
            $"select=id,w_children(id)&w_children.name=eq.{M}&w_children.order={M}",                     // embedded filters/order
        ];
        foreach (var q in queries) yield return (get, "w_parents?" + EscapeValues(q), null, none);
        // Writes: columns=, on_conflict=, body keys, CSV header, upsert and PATCH filters.
        yield return (HttpMethod.Post, $"w_items?columns={M},name", $$"""{"name":"a","{{M}}":1}""", none);
        yield return (HttpMethod.Post, $"w_items?columns=\"{M}\"\"",  $$"""{"name":"a"}""", none);
        yield return (HttpMethod.Post, $"w_kv?on_conflict={M}", $$"""{"k":"{{M}}"}""", [("Prefer", "resolution=merge-duplicates,tx=rollback")]);
        yield return (HttpMethod.Post, $"w_kv?on_conflict=k,{M}", $$"""{"k":"{{M}}"}""", [("Prefer", "resolution=ignore-duplicates")]);
        yield return (HttpMethod.Post, "w_items", $$"""{"name":"a","{{M}}\"; drop":1}""", none);
        yield return (HttpMethod.Post, "w_items", $$"""[{"name":"{{M}}'); drop table w_items; --"}]""", [("Prefer", "tx=rollback,missing=default")]);
        yield return (HttpMethod.Patch, $"w_rows?id=eq.{M}&{M}=eq.1", $$"""{"note":"{{M}}"}""", none);
        yield return (HttpMethod.Patch, $"w_rows?id=eq.-1&order={M}&limit=1", $$"""{"{{M}}":1}""", none);
        yield return (HttpMethod.Delete, $"w_rows?id=eq.-1&order=id.{M}&limit=1", null, none);
        yield return (HttpMethod.Put, $"w_kv?k=eq.{M}", $$"""{"k":"{{M}}","v":1}""", [("Prefer", "tx=rollback")]);
        // Functions: names, argument names and values, GET arguments.
        yield return (HttpMethod.Post, $"rpc/{M}", "{}", none);
        yield return (HttpMethod.Post, "rpc/w_add", $$"""{"a":1,"{{M}}":2}""", none);
        yield return (HttpMethod.Post, "rpc/w_greet", $$"""{"name":"{{M}}'; --"}""", none);
        yield return (get, $"rpc/w_greet?name={M}&select=x:{M}", null, none);
        yield return (get, $"rpc/w_squares?n=3&select=i::{M}&order={M}", null, none);
        yield return (get, "rpc/w_squares?n=3&sq=gt.1", null, [("Prefer", "count=planned")]);
        yield return (HttpMethod.Post, "rpc/w_unnamed_json", $$"""{"{{M}}":"'; --"}""", none);
        // Headers: Prefer values, media types and their options, profiles, ranges.
        yield return (get, "w_parents", null, [("Prefer", $"count={M}, return={M}, tx={M}, missing={M}, handling={M}, max-affected={M}, resolution={M}, params={M}")]);
        yield return (get, "w_parents", null, [("Accept", $"application/vnd.pgrst.plan+json; for=\"{M}\"; options={M}|analyze")]);
        yield return (get, "w_parents", null, [("Accept", $"application/vnd.pgrst.plan; options=analyze|{M}")]);
        yield return (get, "w_parents", null, [("Accept", $"application/{M}")]);
        yield return (get, "w_parents", null, [("Accept-Profile", M)]);
        yield return (HttpMethod.Post, "w_items", $$"""{"name":"a"}""", [("Content-Profile", M)]);
        yield return (get, "w_parents", null, [("Range", $"{M}-1"), ("Range-Unit", M)]);
        yield return (get, "w_parents", null, [("X-" + M, $"'; select {M}; --"), ("Cookie", $"{M}='; --")]);
        yield return (HttpMethod.Post, "w_csv", $"id,{M}\n1,2", [("Content-Type", "text/csv")]);
        yield return (get, $"{M}", null, none);
        yield return (get, $"{Uri.EscapeDataString($"w_parents\"; select {M}; --")}", null, none);
    }

    /// <summary>Escapes each value of a raw query (keeps & and = as separators).</summary>
    private static string EscapeValues(string query) => string.Join("&", query.Split('&').Select(pair =>
        pair.IndexOf('=') is var eq and > 0 ? pair[..eq] + "=" + Uri.EscapeDataString(pair[(eq + 1)..]) : pair));

    [Test]
    public async Task Request_text_reaches_sql_only_as_parameters_or_quoted_identifiers()
    {
        await Db.ExecAsync(hearth.Superuser, "alter system set log_statement = 'all'");
        await Db.ExecAsync(hearth.Superuser, "select pg_reload_conf()");
        await Task.Delay(300); // the postmaster signals the backends; each rereads before its next statement
        var start = new FileInfo(hearth.LogFile).Length;
        var served = 0;
        try
        {
            foreach (var (method, url, body, headers) in Corpus())
            {
                var contentType = body is null ? null : "application/json";
                var reply = await Send(hearth.Http, method, url, body, contentType, headers);
                await Assert.That(reply.Code).IsLessThan(500).Because($"{method} {url} answered {reply.StatusAndBody}");
                served++;
            }
        }
        finally
        {
            await Db.ExecAsync(hearth.Superuser, "alter system reset log_statement");
            await Db.ExecAsync(hearth.Superuser, "select pg_reload_conf()");
        }
        var statements = LoggedStatements(await ReadFromAsync(hearth.LogFile, start)).ToList();
        // The log really captured the corpus: aliases and names travel as quoted identifiers.
        await Assert.That(served).IsGreaterThan(80);
        await Assert.That(statements.Count(s => s.Contains($"\"{M}\"", StringComparison.Ordinal))).IsGreaterThan(5);
        foreach (var statement in statements)
        {
            var outsideIdentifiers = QuotedIdentifier().Replace(statement, "\"\"");
            await Assert.That(outsideIdentifiers.Contains(M, StringComparison.OrdinalIgnoreCase)).IsFalse().Because(statement);
        }
    }

    private static async Task<string> ReadFromAsync(string path, long offset)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(file);
        return await reader.ReadToEndAsync();
    }

    /// <summary>
    /// The statement texts of a PostgreSQL log: "statement: …", "execute &lt;name&gt;: …" and the "STATEMENT: …"
    /// of errors, continuation lines (which start with a tab) included. Parameter values (DETAIL) are left out.
    /// </summary>
    private static IEnumerable<string> LoggedStatements(string log)
    {
        string? current = null;
        foreach (var line in log.Split('\n'))
        {
            if (line.StartsWith('\t') && current is not null) { current += "\n" + line[1..]; continue; }
            if (current is not null) yield return current;
            current = StatementStart().Match(line) is { Success: true } m ? m.Groups["sql"].Value : null;
        }
        if (current is not null) yield return current;
    }

    [GeneratedRegex(@"(?:LOG:  statement: |LOG:  execute [^:]*: |STATEMENT:  )(?<sql>.*)$")]
    private static partial Regex StatementStart();

    [GeneratedRegex("\"(?:[^\"]|\"\")*\"")]
    private static partial Regex QuotedIdentifier();
}
