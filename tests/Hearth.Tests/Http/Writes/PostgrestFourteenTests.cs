using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>
/// PostgREST 14 behaviours supabase-js users meet: overloaded functions (PGRST203), raw bodies for a single
/// unnamed parameter, count and max-affected on functions, nulls=stripped, singular writes, key-only upserts,
/// missing=default with sequences.
/// </summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class PostgrestFourteenTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Overloads_with_the_same_argument_names_are_300_PGRST203_listing_the_candidates()
    {
        var r = await Get(Http, "rpc/w_same?a=1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(300, "PGRST203",
            "Could not choose the best candidate function between: public.w_same(a => integer), public.w_same(a => text)", null,
            "Try renaming the parameters or the function itself in the database so function overloading can be resolved"));
    }

    [Test]
    public async Task Overloads_are_told_apart_by_argument_names_and_defaults()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Get(Http, "rpc/w_arity?a=1")).StatusAndJson).IsEqualTo(Expect(200, "\"one\""));
        await Assert.That((await Post(Http, "rpc/w_arity", """{"a":1,"b":2}""")).StatusAndJson).IsEqualTo(Expect(200, "\"two\""));
        await Assert.That((await Get(Http, "rpc/w_opt?a=1")).StatusAndJson).IsEqualTo(Expect(200, "1"));
        await Assert.That((await Get(Http, "rpc/w_opt?a=1&b=2")).StatusAndJson).IsEqualTo(Expect(200, "3"));
        var one = await Get(Http, "rpc/w_opt?b=2");
        await Assert.That(one.StatusAndJson).IsEqualTo(Error(404, "PGRST202", "Could not find the function public.w_opt(b) in the schema cache",
            "Searched for the function public.w_opt with parameter b, but no matches were found in the schema cache.",
            "Perhaps you meant to call the function public.w_opt(a, b)"));
    }

    [Test]
    public async Task Raw_text_xml_and_binary_bodies_go_to_a_single_unnamed_parameter_of_that_type()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Send(Http, HttpMethod.Post, "rpc/w_raw_text", "hello", "text/plain")).StatusAndJson).IsEqualTo(Expect(200, "\"got hello\""));
        await Assert.That((await Send(Http, HttpMethod.Post, "rpc/w_raw_xml", "<a>inside</a>", "text/xml")).StatusAndJson).IsEqualTo(Expect(200, "\"inside\""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "rpc/w_raw_bytes") { Content = new ByteArrayContent([0, 255, 0x80, 10, 0]) };
        request.Content.Headers.ContentType = new("application/octet-stream");
        var bytes = await Http.SendAsync(request);
        await Assert.That(await bytes.Content.ReadAsStringAsync()).IsEqualTo("5");
    }

    [Test]
    public async Task A_raw_body_without_a_matching_function_is_PGRST202_with_postgrests_texts()
    {
        var r = await Send(Http, HttpMethod.Post, "rpc/w_raw_bytes", "hello", "text/plain");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(404, "PGRST202", "Could not find the function public.w_raw_bytes in the schema cache",
            "Searched for the function public.w_raw_bytes with a single unnamed text parameter, but no matches were found in the schema cache.", null));
    }

    [Test]
    public async Task Two_single_unnamed_json_overloads_are_ambiguous()
    {
        var r = await Post(Http, "rpc/w_two_json", """{"A":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(300, "PGRST203",
            "Could not choose the best candidate function between: public.w_two_json( => json), public.w_two_json( => jsonb)", null,
            "Try renaming the parameters or the function itself in the database so function overloading can be resolved"));
    }

    [Test]
    public async Task Count_exact_on_a_function_returning_one_value_counts_one()
    {
        var r = await Post(Http, "rpc/w_arity", """{"a":1,"b":2}""", Prefer("count=exact"));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-0/1");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("count=exact");
    }

    [Test]
    public async Task Strict_max_affected_on_a_function_rolls_back_when_it_returns_more_rows()
    {
        using var _ = Assert.Multiple();
        var over = await Post(Http, "rpc/w_logged_rows", """{"n":3,"tag":"maxaff-over"}""", Prefer("handling=strict, max-affected=2"));
        await Assert.That(over.StatusAndJson).IsEqualTo(Error(400, "PGRST124", "Query result exceeds max-affected preference constraint", "The query affects 3 rows", null));
        await Assert.That(await Rows(Http, "w_log?msg=eq.maxaff-over&select=msg")).IsEqualTo(Expect(200, "[]"));
        var within = await Post(Http, "rpc/w_logged_rows", """{"n":2,"tag":"maxaff-ok"}""", Prefer("handling=strict, max-affected=2"));
        await Assert.That(within.StatusAndJson).IsEqualTo(Expect(200, "[1,2]"));
        await Assert.That(await Rows(Http, "w_log?msg=eq.maxaff-ok&select=msg")).IsEqualTo(Expect(200, """[{"msg":"maxaff-ok"}]"""));
        var lenient = await Post(Http, "rpc/w_logged_rows", """{"n":3,"tag":"maxaff-lenient"}""", Prefer("max-affected=2"));
        await Assert.That(lenient.Code).IsEqualTo(200);
    }

    [Test]
    public async Task Strict_max_affected_needs_a_set_returning_function()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_logged_void", """{"tag":"maxaff-void"}""", Prefer("handling=strict, max-affected=1"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST128",
            "Function must return SETOF or TABLE when max-affected preference is used with handling=strict", null, null));
        await Assert.That(await Rows(Http, "w_log?msg=eq.maxaff-void&select=msg")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Nulls_stripped_omits_null_fields_for_arrays_and_objects()
    {
        using var _ = Assert.Multiple();
        var array = await Get(Http, "w_sparse?order=id", ("Accept", "application/vnd.pgrst.array+json;nulls=stripped"));
        await Assert.That(array.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1,"a":"x"},{"id":2,"b":7}]"""));
        await Assert.That(array.ContentType).IsEqualTo("application/vnd.pgrst.array+json; nulls=stripped; charset=utf-8");
        var one = await Get(Http, "w_sparse?id=eq.2", ("Accept", "application/vnd.pgrst.object+json;nulls=stripped"));
        await Assert.That(one.StatusAndJson).IsEqualTo(Expect(200, """{"id":2,"b":7}"""));
        var plain = await Get(Http, "w_sparse?id=eq.2", ("Accept", "application/vnd.pgrst.array+json"));
        await Assert.That(plain.StatusAndJson).IsEqualTo(Expect(200, """[{"id":2,"a":null,"b":7}]"""));
    }

    [Test]
    public async Task A_singular_patch_that_matches_several_rows_is_406_and_changes_nothing_even_without_a_representation()
    {
        using var _ = Assert.Multiple();
        var r = await Patch(Http, "w_sparse?id=gt.0", """{"b":99}""", ("Accept", "application/vnd.pgrst.object+json"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(406, "PGRST116", "Cannot coerce the result to a single JSON object", "The result contains 2 rows", null));
        await Assert.That(await Rows(Http, "w_sparse?b=eq.99")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task An_upsert_whose_body_is_only_the_conflict_key_returns_the_existing_row()
    {
        var r = await Post(Http, "w_users?on_conflict=username", """{"username":"ada"}""", Prefer("resolution=merge-duplicates, return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"username":"ada","score":5}]"""));
    }

    [Test]
    public async Task Missing_default_evaluates_each_default_once_per_row_as_postgrest()
    {
        // Row 1 brings its id but its default is still evaluated (nextval → 1, unused); row 2 takes the next (2).
        var r = await Post(Http, "w_seq?columns=id,label", """[{"id":100,"label":"a"},{"label":"b"}]""",
            Prefer("missing=default, return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100,"label":"a"},{"id":2,"label":"b"}]"""));
    }
}
