using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>Functions as endpoints: arguments, GET vs POST and volatility, result shapes, the read
/// grammar on table-returning functions, raised errors. Reads fixed rows 9001..9103; writes w_log
/// with its own messages.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class RpcTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Post_with_named_arguments_returns_a_scalar()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_add", """{"a":1,"b":2}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("200 3");
        await Assert.That(r.MediaType).IsEqualTo("application/json");
    }

    [Test]
    public async Task A_call_planned_once_serves_the_same_shape_with_other_values_and_nothing_else()
    {
        // Calls are planned once per shape (the overload, the SQL) and cached: values must never stick, and a
        // call whose arguments, body kind, method or query differ must plan its own.
        using var _ = Assert.Multiple();
        await Assert.That((await Post(Http, "rpc/w_add", """{"a":1,"b":2}""")).StatusAndBody).IsEqualTo("200 3");
        await Assert.That((await Post(Http, "rpc/w_add", """{"a":5,"b":7}""")).StatusAndBody).IsEqualTo("200 12");
        await Assert.That((await Get(Http, "rpc/w_add?a=40&b=2")).StatusAndBody).IsEqualTo("200 42");
        await Assert.That((await Get(Http, "rpc/w_add?a=1&b=1")).StatusAndBody).IsEqualTo("200 2");
        await Assert.That((await Post(Http, "rpc/w_over", """{"a":1}""")).StatusAndBody).IsEqualTo("200 \"a=1\"");
        await Assert.That((await Post(Http, "rpc/w_over", """{"a":1,"b":2}""")).StatusAndBody).IsEqualTo("200 \"a+b=3\"");
        await Assert.That((await Post(Http, "rpc/w_over", """{"x":"s"}""")).StatusAndBody).IsEqualTo("200 \"x=s\"");
        await Assert.That((await Post(Http, "rpc/w_over", """{"a":2}""")).StatusAndBody).IsEqualTo("200 \"a=2\"");
        await Assert.That((await Post(Http, "rpc/w_squares?select=sq&order=i.desc&limit=1", """{"n":3}""")).StatusAndBody).IsEqualTo("""200 [{"sq":9}]""");
        await Assert.That((await Post(Http, "rpc/w_squares?select=i&order=i.desc&limit=1", """{"n":4}""")).StatusAndBody).IsEqualTo("""200 [{"i":4}]""");
        await Assert.That((await Post(Http, "rpc/w_squares?select=i&order=i.desc&limit=1", """{"n":2}""")).StatusAndBody).IsEqualTo("""200 [{"i":2}]""");
        await Assert.That((await Send(Http, HttpMethod.Post, "rpc/w_raw_text", "one", "text/plain")).StatusAndBody).IsEqualTo("200 \"got one\"");
        await Assert.That((await Send(Http, HttpMethod.Post, "rpc/w_raw_text", "two", "text/plain")).StatusAndBody).IsEqualTo("200 \"got two\"");
    }

    [Test]
    public async Task Get_with_query_arguments_calls_an_immutable_function()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_add?a=40&b=2");
        await Assert.That(r.StatusAndBody).IsEqualTo("200 42");
        await Assert.That(r.MediaType).IsEqualTo("application/json");
    }

    [Test]
    public async Task Get_calls_a_stable_function_returning_text_as_a_json_string()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_greet?name=Ann%20Lee");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, "\"Hello, Ann Lee\""));
    }

    [Test]
    public async Task Get_on_a_volatile_function_that_writes_is_405_25006_and_writes_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_log_insert?msg=rpc-get-attempt");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(405, "25006", "cannot execute INSERT in a read-only transaction"));
        await Assert.That(await Rows(Http, "w_log?msg=eq.rpc-get-attempt")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Post_on_a_volatile_function_writes()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_log_insert", """{"msg":"rpc-post-write"}""");
        await Assert.That(r.Code).IsEqualTo(200);
        var id = r.Json().GetInt32();
        await Assert.That(await Rows(Http, "w_log?msg=eq.rpc-post-write"))
            .IsEqualTo(Expect(200, $$"""[{"id":{{id}},"msg":"rpc-post-write"}]"""));
    }

    [Test]
    public async Task Params_single_object_passes_the_whole_body_as_one_json_argument()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_echo_obj", """{"p1":1,"p2":"text","p3":{"obj":"text"}}""", Prefer("params=single-object"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"p1":1,"p2":"text","p3":{"obj":"text"}}"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("params=single-object");
    }

    [Test]
    public async Task Without_params_single_object_the_named_json_argument_is_taken_by_name()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_echo_obj", """{"payload":{"inner":[1,2]}}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"inner":[1,2]}"""));
    }

    [Test]
    public async Task A_single_unnamed_json_parameter_receives_the_whole_body()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_unnamed_json", """{"A":1,"B":[1,2],"C":{"d":null}}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"A":1,"B":[1,2],"C":{"d":null}}"""));
    }

    [Test]
    [Arguments("""{"a":1}""", "a=1")]
    [Arguments("""{"a":1,"b":2}""", "a+b=3")]
    [Arguments("""{"x":"hi"}""", "x=hi")]
    public async Task Overloads_are_told_apart_by_argument_names_on_post(string body, string expected)
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_over", body);
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, $"\"{expected}\""));
    }

    [Test]
    [Arguments("rpc/w_over?a=5", "a=5")]
    [Arguments("rpc/w_over?a=5&b=6", "a+b=11")]
    [Arguments("rpc/w_over?x=yo", "x=yo")]
    public async Task Overloads_are_told_apart_by_argument_names_on_get(string url, string expected)
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, url);
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, $"\"{expected}\""));
    }

    [Test]
    public async Task Unknown_function_is_404_PGRST202()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_no_such_function", "{}");
        await Assert.That(r.Code).IsEqualTo(404);
        var e = r.Json();
        await Assert.That(e.GetProperty("code").GetString()).IsEqualTo("PGRST202");
        await Assert.That(e.GetProperty("message").GetString())
            .IsEqualTo("Could not find the function public.w_no_such_function without parameters in the schema cache");
        await Assert.That(e.GetProperty("details").GetString())
            .IsEqualTo("Searched for the function public.w_no_such_function without parameters or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.");
    }

    [Test]
    public async Task Unknown_argument_name_is_404_PGRST202_with_a_hint()
    {
        using var _ = Assert.Multiple();
        // GET: no "or with a single unnamed json/jsonb parameter" (that alternative exists only for a POSTed JSON body)
        var r = await Get(Http, "rpc/w_add?a=1&c=2");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(404, "PGRST202",
            "Could not find the function public.w_add(a, c) in the schema cache",
            "Searched for the function public.w_add with parameters a, c, but no matches were found in the schema cache.",
            "Perhaps you meant to call the function public.w_add(a, b)"));
    }

    [Test]
    public async Task Composite_result_is_a_json_object()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_make_point", """{"x":1,"y":2}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"x":1,"y":2}"""));
        var row = await Get(Http, "rpc/w_parent_row?pid=9001");
        await Assert.That(row.StatusAndJson).IsEqualTo(Expect(200, """{"id":9001,"name":"fixed parent A"}"""));
    }

    [Test]
    public async Task Setof_a_table_is_a_json_array()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_children_of?pid=9001&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":9101,"parent_id":9001,"name":"child one"},{"id":9102,"parent_id":9001,"name":"child two"}]"""));
        var none = await Post(Http, "rpc/w_children_of", """{"pid":-1}""");
        await Assert.That(none.StatusAndJson).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Returns_table_is_an_array_of_objects()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_squares", """{"n":3}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"i":1,"sq":1},{"i":2,"sq":4},{"i":3,"sq":9}]"""));
    }

    [Test]
    public async Task Table_returning_function_takes_select_order_and_limit()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_all_children?select=id&order=id.desc&limit=1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":9103}]"""));
        var post = await Post(Http, "rpc/w_squares?select=sq&order=i.desc&limit=2", """{"n":4}""");
        await Assert.That(post.StatusAndJson).IsEqualTo(Expect(200, """[{"sq":16},{"sq":9}]"""));
    }

    [Test]
    public async Task Table_returning_function_takes_filters()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_all_children?parent_id=eq.9001&select=id,name&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":9101,"name":"child one"},{"id":9102,"name":"child two"}]"""));
        var post = await Post(Http, "rpc/w_squares?sq=gt.4&select=i", """{"n":4}""");
        await Assert.That(post.StatusAndJson).IsEqualTo(Expect(200, """[{"i":3},{"i":4}]"""));
    }

    [Test]
    public async Task Table_returning_function_embeds_related_tables()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_children_of?pid=9002&select=*,w_parents(*)");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":9103,"parent_id":9002,"name":"child three","w_parents":{"id":9002,"name":"fixed parent B"}}]"""));
        var post = await Post(Http, "rpc/w_children_of?select=name,parent:w_parents(name)&order=id", """{"pid":9001}""");
        await Assert.That(post.StatusAndJson).IsEqualTo(Expect(200,
            """[{"name":"child one","parent":{"name":"fixed parent A"}},{"name":"child two","parent":{"name":"fixed parent A"}}]"""));
    }

    [Test]
    public async Task Raise_exception_is_400_P0001()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_raise_plain", "{}");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "P0001", "plain failure"));
    }

    [Test]
    public async Task Custom_PT_sqlstate_sets_the_http_status()
    {
        using var _ = Assert.Multiple();
        var r = await Get(Http, "rpc/w_raise_pt402");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(402, "PT402", "Payment Required", "Quota exceeded", "Upgrade your plan"));
    }

    [Test]
    public async Task Raise_sqlstate_PGRST_sets_status_headers_and_body()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_raise_pgrst", "{}");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(418, """{"code":"123","message":"msg","details":"d","hint":"h"}"""));
        await Assert.That(r.Header("X-Powered-By")).IsEqualTo("Nerd Rage");
    }

    [Test]
    public async Task Delete_on_a_function_is_405_PGRST101()
    {
        using var _ = Assert.Multiple();
        var r = await Delete(Http, "rpc/w_add");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(405, "PGRST101", "Cannot use the DELETE method on RPC"));
    }

    // OPTIONS --------------------------------------------------------------------------------------

    [Test]
    [Arguments("w_items", "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE")]
    [Arguments("w_items_view", "OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE")]
    [Arguments("w_items_summary", "OPTIONS,GET,HEAD")]
    [Arguments("rpc/w_log_insert", "OPTIONS,POST")]
    [Arguments("rpc/w_add", "OPTIONS,GET,HEAD,POST")]
    [Arguments("rpc/w_greet", "OPTIONS,GET,HEAD,POST")]
    public async Task Options_lists_the_allowed_methods(string url, string allow)
    {
        using var _ = Assert.Multiple();
        var r = await Options(Http, url);
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.Header("Allow")).IsEqualTo(allow);
        await Assert.That(r.Body).IsEqualTo("");
    }

    [Test]
    public async Task Options_on_an_unknown_table_is_404()
    {
        using var _ = Assert.Multiple();
        var r = await Options(Http, "w_nope");
        await Assert.That(r.Code).IsEqualTo(404);
    }
}
