using System.Text.Json;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>Errors of read requests: parse errors, PostgreSQL errors, and no 500 for anything malformed.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class ReadErrorTests(SharedHearth hearth)
{
    private async Task<string> JsonOf(string url) => (await Get(hearth.Http, url)).StatusAndJson;

    [Test]
    public async Task Filter_without_an_operator_is_PGRST100()
    {
        await Assert.That(await JsonOf("books?id=0")).IsEqualTo(Expect(400,
            """{"code":"PGRST100","details":"unexpected \"0\" expecting \"not\" or operator (eq, gt, ...)","hint":null,"message":"\"failed to parse filter (0)\" (line 1, column 1)"}"""));
    }

    [Test]
    public async Task Bad_order_is_PGRST100()
    {
        await Assert.That(await JsonOf("books?order=id.asc.nullslasttt")).IsEqualTo(Expect(400,
            """{"code":"PGRST100","details":"unexpected 't' expecting \",\" or end of input","hint":null,"message":"\"failed to parse order (id.asc.nullslasttt)\" (line 1, column 17)"}"""));
    }

    [Test]
    public async Task Empty_logic_tree_is_PGRST100()
    {
        await Assert.That(await JsonOf("books?or=()")).IsEqualTo(Expect(400,
            """{"code":"PGRST100","details":"unexpected \")\" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)","hint":null,"message":"\"failed to parse logic tree (())\" (line 1, column 4)"}"""));
    }

    [Test]
    public async Task Bad_json_path_in_select_is_PGRST100()
    {
        await Assert.That(await JsonOf("books?select=meta->>--34")).IsEqualTo(Expect(400,
            """{"code":"PGRST100","details":"unexpected \"-\" expecting digit","hint":null,"message":"\"failed to parse select parameter (meta->>--34)\" (line 1, column 9)"}"""));
    }

    [Test]
    [Arguments("books?id=noop.1")]
    [Arguments("books?select=id,")]
    [Arguments("books?select=authors(name")]
    [Arguments("books?id=in.(1,2")]
    [Arguments("books?id=is.maybe")]
    [Arguments("books?or=(id.eq.1")]
    [Arguments("books?or=id.eq.1")]
    [Arguments("books?order=id.sideways")]
    [Arguments("books?id=")]
    public async Task Other_syntax_errors_are_400_PGRST100(string url)
    {
        var r = await Get(hearth.Http, url);
        await Assert.That(r.Code).IsEqualTo(400);
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That(json.RootElement.GetProperty("code").GetString()).IsEqualTo("PGRST100");
    }

    [Test]
    public async Task Unknown_column_in_select_is_400_42703()
    {
        await Assert.That(await JsonOf("books?select=nope")).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column books.nope does not exist"}"""));
    }

    [Test]
    public async Task Unknown_column_in_a_filter_or_order_is_400_42703()
    {
        await Assert.That(await JsonOf("books?nope=eq.1")).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column books.nope does not exist"}"""));
        await Assert.That(await JsonOf("books?order=nope")).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column books.nope does not exist"}"""));
    }

    [Test]
    public async Task Unknown_column_in_an_embed_is_400_42703()
    {
        var r = await Get(hearth.Http, "books?select=id,authors(nope)");
        await Assert.That(r.Code).IsEqualTo(400);
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That(json.RootElement.GetProperty("code").GetString()).IsEqualTo("42703");
        await Assert.That(json.RootElement.GetProperty("message").GetString()).EndsWith(".nope does not exist");
    }

    [Test]
    [Arguments("books?id=eq.abc", "invalid input syntax for type integer: \\\"abc\\\"")]
    [Arguments("books?year=gt.notayear", "invalid input syntax for type integer: \\\"notayear\\\"")]
    [Arguments("tasks?done=eq.maybe", "invalid input syntax for type boolean: \\\"maybe\\\"")]
    [Arguments("books?id=in.(1,x)", "invalid input syntax for type integer: \\\"x\\\"")]
    public async Task Invalid_input_syntax_is_400_22P02(string url, string message)
    {
        await Assert.That(await JsonOf(url)).IsEqualTo(Expect(400,
            $$"""{"code":"22P02","details":null,"hint":null,"message":"{{message}}"}"""));
    }

    [Test]
    public async Task Permission_denied_is_401_42501()
    {
        await Assert.That(await JsonOf("secrets?select=id")).IsEqualTo(Expect(401,
            """{"code":"42501","details":null,"hint":null,"message":"permission denied for table secrets"}"""));
        await Assert.That(await JsonOf("secrets?select=id&id=eq.1")).IsEqualTo(Expect(401,
            """{"code":"42501","details":null,"hint":null,"message":"permission denied for table secrets"}"""));
    }

    [Test]
    public async Task Aggregates_are_disabled_by_default_PGRST123()
    {
        const string body = """{"code":"PGRST123","details":null,"hint":null,"message":"Use of aggregate functions is not allowed"}""";
        await Assert.That(await JsonOf("books?select=count()")).IsEqualTo(Expect(400, body));
        await Assert.That(await JsonOf("books?select=author_id,count()")).IsEqualTo(Expect(400, body));
        await Assert.That(await JsonOf("books?select=year.sum()")).IsEqualTo(Expect(400, body));
        await Assert.That(await JsonOf("authors?select=name,books(count())")).IsEqualTo(Expect(400, body));
    }

    /// <summary>
    /// Every malformed request gets a 4xx with a PostgREST error object, never a 500. (Left out: requests PostgREST
    /// itself accepts, e.g. select=id) or select=id::int::text, where its parser stops early and succeeds.)
    /// </summary>
    [Test]
    public async Task Malformed_requests_never_get_a_500()
    {
        string[] urls =
        [
            "books?select=(", "books?select=id,", "books?select=,id", "books?select=id::",
            "books?select=id::nonsense_type", "books?select=authors(", "books?select=*,authors(name",
            "books?select=authors!(name)", "books?select=...authors", "books?select=...", "books?select=a:b:c",
            "books?select=count(", "books?select=id.sum(", "books?select=id.nope()", "books?select=meta->", "books?select=meta->>",
            "books?select=meta->>lang->", "books?select=nonexistent(*)", "books?select=*,authors!inner!left!x(*)",
            "books?select=*,films!inner(*)", "books?select=%22unterminated",
            "books?order=(", "books?order=id.sideways", "books?order=nope", "books?order=authors(name)", "books?order=id.asc.nullsfirst.nullslast",
            "books?order=meta->", "books?order=id,", "books?order=,",
            "books?id=eq", "books?id=", "books?id=in.(1,2", "books?id=in.1,2", "books?id=is.maybe", "books?id=fts(.x", "books?id=fts().x",
            "books?id=eq(any).1", "books?id=like(some).{1}", "books?title=like(any).{", "books?id=not.", "books?id=not.not.eq.1",
            "books?or=(id.eq.1", "books?or=id.eq.1", "books?and=(", "books?or=(id.eq.1,)", "books?or=(,)", "books?not.or=",
            "books?or=(id.eq.1,or(id.eq.2)", "books?or=(nope.eq.1)", "books?or=(id.eq.x)", "books?and=(id)",
            "books?meta->>=eq.1", "books?meta->=eq.1", "books?->>x=eq.1", "books?.=eq.1", "books?authors.=eq.1",
            "books?id=eq.abc", "books?id=eq.99999999999999999999", "books?year=gt.1e400", "books?tags=cs.notarray", "books?tags=cs.{",
            "books?meta=cs.{bad%20json", "books?meta=cs.", "reservations?seats=ov.[1,", "reservations?during=ov.[never,)",
            "books?title=match.(", "books?title=imatch.[", "articles?body_tsv=fts.%26%26%26", "articles?body_tsv=fts(nolang).x",
            "books?id=in.(a,b)", "books?year=isdistinct.x", "books?id=eq.%00", "books?id=eq.1%FF",
            "books?limit=-1", "books?limit=1&offset=10&order=nope", "books?select=id,authors(id)&authors.order=nope",
            "books?select=id,authors(id)&authors.limit=-1", "books?select=id&nope.id=eq.1", "books?select=id&authors.id=eq.1",
            "authors?select=id,books(id)&order=books(id)",
            "messages?select=*,users!nope(*)", "secrets", "nope", "nope?select=id", "books/1", "books?select=id::%22int%22",
            "Weird%20Table?select=mixed%20case", "books?select=title->0", "books?tags=eq.{unterminated", "books?id=gt.",
            "books?%FF=eq.1", "books?select=%FF", "books?order=%FF", "tasks?done=is.1",
        ];
        var failures = new List<string>();
        foreach (var url in urls)
        {
            Reply r;
            try { r = await Get(hearth.Http, url); }
            catch (Exception e) { failures.Add($"{url} -> {e.GetType().Name}: {e.Message}"); continue; }
            if (r.Code is < 400 or >= 500) { failures.Add($"{url} -> {r.Code} {Short(r.Body)}"); continue; }
            try
            {
                using var json = JsonDocument.Parse(r.Body);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out _) || !root.TryGetProperty("message", out _)
                    || !root.TryGetProperty("details", out _) || !root.TryGetProperty("hint", out _))
                    failures.Add($"{url} -> {r.Code} not an error object: {Short(r.Body)}");
            }
            catch (JsonException) { failures.Add($"{url} -> {r.Code} not JSON: {Short(r.Body)}"); }
        }

        // Headers that can be malformed too.
        (string Url, (string, string)[] Headers)[] headerCases =
        [
            ("books", [("Accept", "text/unknowntype")]),
            ("books", [("Accept", "application/vnd.pgrst.object+json")]),
            ("books", [("Accept", "application/vnd.pgrst.plan")]),
            ("books", [("Accept-Profile", "nope")]),
            ("books", [("Range", "5-2")]),
            ("books", [("Range", "10-20"), ("Prefer", "count=exact")]),
            ("books?offset=100", [("Prefer", "count=exact")]),
            ("books", [("Accept", "application/vnd.pgrst.object+json"), ("Prefer", "count=exact")]),
        ];
        foreach (var (url, headers) in headerCases)
        {
            var r = await Get(hearth.Http, url, headers);
            var label = $"{url} [{string.Join("; ", headers.Select(h => h.Item1 + ": " + h.Item2))}]";
            if (r.Code is < 400 or >= 500) { failures.Add($"{label} -> {r.Code} {Short(r.Body)}"); continue; }
            try
            {
                using var json = JsonDocument.Parse(r.Body);
                if (!json.RootElement.TryGetProperty("code", out _) || !json.RootElement.TryGetProperty("hint", out _))
                    failures.Add($"{label} -> {r.Code} not an error object: {Short(r.Body)}");
            }
            catch (JsonException) { failures.Add($"{label} -> {r.Code} not JSON: {Short(r.Body)}"); }
        }

        if (failures.Count > 0) Assert.Fail($"{failures.Count} malformed requests not answered with a 4xx error object:\n" + string.Join("\n", failures));
    }

    private static string Short(string body)
    {
        var flat = body.Replace("\n", " ");
        return flat.Length <= 120 ? flat : flat[..120] + "…";
    }
}
