using Hearth.Data;
using Hearth.Errors;
using Hearth.Plan;
using Hearth.Request;
using Hearth.Response;
using Hearth.Schema;
using Microsoft.Extensions.Primitives;

namespace Hearth.Tests.Response;

/// <summary>The Response stage on hand-made results: status, headers and errors as a function of (request, result), no database.</summary>
public class ResponseTests
{
    private static readonly Relation Books = new("public", "books", RelationKind.Table,
        [new Column("id", "integer", false, false, 0), new Column("title", "text", true, false, 0)], ["id"]);

    private static readonly SchemaModel Model = new(["public"], [Books], []);

    private static ApiRequest Request(string method = "GET", string prefer = "", MediaType accept = MediaType.Json, string? body = null, string query = "") =>
        new(method, "public", TargetKind.Relation, "books", QueryStringParser.Parse(query), Preferences.Parse(new StringValues(prefer.Length > 0 ? prefer : null)),
            RowRange.All, accept, body is null ? null : Payload.FromJson(body));

    private static ApiResult Result(long pageTotal, long? total = null, long? planned = null, ResponseGucs? gucs = null, long? inserted = null,
        string[]? location = null, string? body = "[]") =>
        new(total, pageTotal, planned, gucs ?? ResponseGucs.None, inserted, location, body is null ? null : BufferedBody.FromText(body));

    private static MutatePlan WritePlan(ApiRequest request) => MutatePlanner.Plan(Model, Books, request, new ReadPlanner.Options(false));

    [Test]
    public async Task A_read_is_200_with_the_page_range_and_an_unknown_total()
    {
        var r = ReadResponse.For(Request(), Result(3), offset: 0);
        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-2/*");
        await Assert.That(r.Header("Content-Type")).IsEqualTo("application/json; charset=utf-8");
    }

    [Test]
    public async Task An_exact_count_larger_than_the_page_is_206_and_an_empty_page_is_a_star_range()
    {
        var r = ReadResponse.For(Request(prefer: "count=exact"), Result(2, total: 5), offset: 3);
        await Assert.That(r.Status).IsEqualTo(206);
        await Assert.That(r.Header("Content-Range")).IsEqualTo("3-4/5");
        var empty = ReadResponse.For(Request(prefer: "count=exact"), Result(0, total: 0), offset: 0);
        await Assert.That(empty.Header("Content-Range")).IsEqualTo("*/0");
        await Assert.That(empty.Status).IsEqualTo(200);
    }

    [Test]
    public async Task Planned_counts_use_the_estimate_and_estimated_counts_switch_past_max_rows()
    {
        var planned = ReadResponse.For(Request(prefer: "count=planned"), Result(2, total: null, planned: 1000), offset: 0);
        await Assert.That(planned.Header("Content-Range")).IsEqualTo("0-1/1000");
        // count=estimated with --db-max-rows 10: counted up to 11; past 10 the estimate (if larger) is the total.
        var under = ReadResponse.For(Request(prefer: "count=estimated"), Result(2, total: 7, planned: 500), offset: 0, estimateAbove: 10);
        await Assert.That(under.Header("Content-Range")).IsEqualTo("0-1/7");
        var over = ReadResponse.For(Request(prefer: "count=estimated"), Result(2, total: 11, planned: 500), offset: 0, estimateAbove: 10);
        await Assert.That(over.Header("Content-Range")).IsEqualTo("0-1/500");
    }

    [Test]
    public async Task A_singular_object_needs_exactly_one_row()
    {
        var e = Assert.Throws<ApiException>(() => ReadResponse.For(Request(accept: MediaType.SingleObject), Result(2), offset: 0)).Error;
        await Assert.That(e.Code).IsEqualTo("PGRST116");
        await Assert.That(e.Status).IsEqualTo(406);
        await Assert.That(e.DetailsText).IsEqualTo("The result contains 2 rows");
        var one = ReadResponse.For(Request(accept: MediaType.SingleObject), Result(1, body: "{}"), offset: 0);
        await Assert.That(one.Header("Content-Type")).IsEqualTo("application/vnd.pgrst.object+json; charset=utf-8");
    }

    [Test]
    public async Task An_offset_past_the_counted_end_is_416_naming_the_total()
    {
        var e = Assert.Throws<ApiException>(() => ReadResponse.For(Request(prefer: "count=exact"), Result(0, total: 3), offset: 5)).Error;
        await Assert.That(e.Code).IsEqualTo("PGRST103");
        await Assert.That(e.Status).IsEqualTo(416);
        await Assert.That(e.Headers!["Content-Range"]).IsEqualTo("*/3");
    }

    [Test]
    public async Task Headers_and_status_set_in_sql_replace_hearths_own_and_keep_repeated_names()
    {
        var gucs = ResponseGucs.Parse("[{\"Content-Type\":\"text/plain\"},{\"Set-Cookie\":\"a=1\"},{\"set-cookie\":\"b=2\"}]", "418");
        var r = ReadResponse.For(Request(), Result(1, gucs: gucs), offset: 0);
        await Assert.That(r.Status).IsEqualTo(418);
        await Assert.That(r.Header("Content-Type")).IsEqualTo("text/plain");
        await Assert.That(r.Headers.Single(h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Value.Count).IsEqualTo(2);
    }

    [Test]
    public async Task Invalid_response_settings_are_500s()
    {
        await Assert.That(Assert.Throws<ApiException>(() => ResponseGucs.Parse("{\"a\":1}", null)).Error.Code).IsEqualTo("PGRST111");
        await Assert.That(Assert.Throws<ApiException>(() => ResponseGucs.Parse(null, "abc")).Error.Code).IsEqualTo("PGRST112");
    }

    [Test]
    public async Task Inserts_are_201_with_a_star_range_and_count_exact_names_the_rows()
    {
        var request = Request("POST", body: "{\"id\":1}");
        var r = WriteResponse.For(request, WritePlan(request), Result(1, body: null), []);
        await Assert.That(r.Status).IsEqualTo(201);
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
        await Assert.That(r.Body).IsNull();
        var counted = Request("POST", prefer: "count=exact", body: "[{\"id\":1},{\"id\":2}]");
        await Assert.That(WriteResponse.For(counted, WritePlan(counted), Result(2, body: null), []).Header("Content-Range")).IsEqualTo("*/2");
    }

    [Test]
    public async Task Headers_only_inserts_point_to_the_new_row_and_updates_give_the_changed_range()
    {
        var insert = Request("POST", prefer: "return=headers-only", body: "{\"title\":\"a b\"}");
        var r = WriteResponse.For(insert, WritePlan(insert), Result(1, location: ["7"], body: null), ["return=headers-only"]);
        await Assert.That(r.Header("Location")).IsEqualTo("/books?id=eq.7");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=headers-only");
        var update = Request("PATCH", body: "{\"title\":\"x\"}", query: "id=gt.1");
        var u = WriteResponse.For(update, WritePlan(update), Result(2, body: null), []);
        await Assert.That(u.Status).IsEqualTo(204);
        await Assert.That(u.Header("Content-Range")).IsEqualTo("0-1/*");
    }

    [Test]
    public async Task An_upsert_that_only_updated_is_200_and_a_representation_carries_the_body()
    {
        var request = Request("POST", prefer: "resolution=merge-duplicates,return=representation", body: "{\"id\":1,\"title\":\"t\"}");
        var r = WriteResponse.For(request, WritePlan(request), Result(1, inserted: 0, body: "[{\"id\":1}]"), []);
        await Assert.That(r.Status).IsEqualTo(200);
        await Assert.That(r.Body).IsNotNull();
        await Assert.That(r.Header("Content-Type")).IsEqualTo("application/json; charset=utf-8");
        await Assert.That(WriteResponse.For(request, WritePlan(request), Result(1, inserted: 1, body: "[]"), []).Status).IsEqualTo(201);
    }

    [Test]
    public async Task Write_checks_refuse_too_many_rows_and_a_non_singular_representation()
    {
        var strict = Request("DELETE", prefer: "handling=strict,max-affected=1");
        var e = Assert.Throws<ApiException>(() => WriteResponse.Check(strict, Result(2, body: null))).Error;
        await Assert.That((e.Code, e.Status, e.DetailsText)).IsEqualTo(("PGRST124", 400, "The query affects 2 rows"));
        WriteResponse.Check(Request("DELETE", prefer: "max-affected=1"), Result(2, body: null)); // lenient: allowed
        var single = Request("PATCH", prefer: "return=representation", accept: MediaType.SingleObject, body: "{\"title\":\"x\"}");
        await Assert.That(Assert.Throws<ApiException>(() => WriteResponse.Check(single, Result(0))).Error.Code).IsEqualTo("PGRST116");
    }

    [Test]
    public async Task A_void_function_is_204_unless_sql_sets_a_status()
    {
        var r = CallResponse.Void(Result(1, body: null), ["tx=commit"]);
        await Assert.That(r.Status).IsEqualTo(204);
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("tx=commit");
        await Assert.That(CallResponse.Void(Result(1, gucs: ResponseGucs.Parse(null, "202"), body: null), []).Status).IsEqualTo(202);
    }
}
