using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>PATCH and DELETE: statuses, representations, Content-Range, order+limit, count and
/// Prefer: handling=strict, max-affected. Each test seeds its own grp (and ids) in w_rows.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class UpdateDeleteTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    /// <summary>Rows (id, grp, n = 0, note = null) for ids first..first+count-1.</summary>
    private async Task Seed(string grp, int first, int count)
    {
        var rows = Enumerable.Range(first, count).Select(id => $$"""{"id":{{id}},"grp":"{{grp}}","n":0}""");
        var r = await Post(Http, "w_rows", "[" + string.Join(",", rows) + "]");
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
    }

    private Task<string> State(string grp) => Rows(Http, $"w_rows?grp=eq.{grp}&order=id&select=id,n,note");

    // PATCH ----------------------------------------------------------------------------------------

    [Test]
    public async Task Patch_is_204_with_no_body_and_the_row_changes()
    {
        using var _ = Assert.Multiple();
        await Seed("p1", 500001, 2);
        var r = await Patch(Http, "w_rows?id=eq.500001", """{"n":5,"note":"patched"}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.ContentType).IsNull();
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-0/*");
        await Assert.That(await State("p1")).IsEqualTo(Expect(200,
            """[{"id":500001,"n":5,"note":"patched"},{"id":500002,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Patch_with_representation_is_200_with_the_changed_rows()
    {
        using var _ = Assert.Multiple();
        await Seed("p2", 500011, 2);
        var r = await Patch(Http, "w_rows?grp=eq.p2&order=id", """{"n":7}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":500011,"grp":"p2","n":7,"note":null},{"id":500012,"grp":"p2","n":7,"note":null}]"""));
        await Assert.That(r.MediaType).IsEqualTo("application/json");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=representation");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/*");
    }

    [Test]
    public async Task Patch_with_select_shapes_the_representation()
    {
        using var _ = Assert.Multiple();
        await Seed("p3", 500021, 1);
        var r = await Patch(Http, "w_rows?id=eq.500021&select=ident:id::text,n", """{"n":3}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"ident":"500021","n":3}]"""));
    }

    [Test]
    public async Task Patch_representation_can_embed_the_parent()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_parents", """[{"id":500030,"name":"patch parent A"},{"id":500031,"name":"patch parent B"}]""");
        await Post(Http, "w_children", """{"id":500032,"parent_id":500030,"name":"patch child"}""");
        var r = await Patch(Http, "w_children?id=eq.500032&select=name,w_parents(name)", """{"parent_id":500031,"name":"moved"}""",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"name":"moved","w_parents":{"name":"patch parent B"}}]"""));
    }

    [Test]
    public async Task Patch_that_matches_nothing_is_204_or_an_empty_array()
    {
        using var _ = Assert.Multiple();
        var r = await Patch(Http, "w_rows?id=eq.599999", """{"n":1}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        var rep = await Patch(Http, "w_rows?id=eq.599999", """{"n":1}""", Prefer("return=representation"));
        await Assert.That(rep.StatusAndJson).IsEqualTo(Expect(200, "[]"));
        await Assert.That(rep.Header("Preference-Applied")).IsEqualTo("return=representation");
    }

    [Test]
    public async Task Patch_with_count_exact_reports_the_affected_rows()
    {
        using var _ = Assert.Multiple();
        await Seed("p4", 500041, 3);
        var r = await Patch(Http, "w_rows?grp=eq.p4", """{"n":4}""", Prefer("count=exact"));
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-2/3");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("count=exact");
        await Assert.That(await State("p4")).IsEqualTo(Expect(200,
            """[{"id":500041,"n":4,"note":null},{"id":500042,"n":4,"note":null},{"id":500043,"n":4,"note":null}]"""));
    }

    [Test]
    public async Task Patch_with_order_and_limit_changes_only_the_first_rows()
    {
        using var _ = Assert.Multiple();
        await Seed("p5", 500051, 5);
        var r = await Patch(Http, "w_rows?grp=eq.p5&order=id.desc&limit=2", """{"note":"top"}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(await Rows(Http, "w_rows?grp=eq.p5&note=eq.top&order=id&select=id")).IsEqualTo(Expect(200, """[{"id":500054},{"id":500055}]"""));
    }

    [Test]
    public async Task Patch_with_order_limit_and_offset()
    {
        using var _ = Assert.Multiple();
        await Seed("p6", 500061, 5);
        var r = await Patch(Http, "w_rows?grp=eq.p6&order=id&limit=2&offset=1", """{"note":"mid"}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(await Rows(Http, "w_rows?grp=eq.p6&note=eq.mid&order=id&select=id")).IsEqualTo(Expect(200, """[{"id":500062},{"id":500063}]"""));
    }

    [Test]
    public async Task Patch_with_limit_but_no_order_is_PGRST109_and_changes_nothing()
    {
        using var _ = Assert.Multiple();
        await Seed("p7", 500071, 2);
        var r = await Patch(Http, "w_rows?grp=eq.p7&limit=1", """{"n":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST109", "A 'limit' was applied without an explicit 'order'", null,
            "Apply an 'order' using unique column(s)"));
        await Assert.That(await State("p7")).IsEqualTo(Expect(200, """[{"id":500071,"n":0,"note":null},{"id":500072,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Patch_with_columns_ignores_other_keys()
    {
        using var _ = Assert.Multiple();
        await Seed("p8", 500081, 1);
        var r = await Patch(Http, "w_rows?id=eq.500081&columns=note&select=id,n,note", """{"note":"only this","n":99,"bogus":1}""",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":500081,"n":0,"note":"only this"}]"""));
    }

    [Test]
    public async Task Patch_with_an_empty_object_changes_nothing()
    {
        using var _ = Assert.Multiple();
        await Seed("p9", 500091, 1);
        var r = await Patch(Http, "w_rows?id=eq.500091", "{}");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
        await Assert.That(await State("p9")).IsEqualTo(Expect(200, """[{"id":500091,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Patch_can_set_a_column_to_null()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_rows", """{"id":500095,"grp":"p10","note":"was set"}""");
        var r = await Patch(Http, "w_rows?id=eq.500095&select=note", """{"note":null}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"note":null}]"""));
    }

    // DELETE ---------------------------------------------------------------------------------------

    [Test]
    public async Task Delete_is_204_and_the_row_is_gone()
    {
        using var _ = Assert.Multiple();
        await Seed("d1", 510001, 2);
        var r = await Delete(Http, "w_rows?id=eq.510001");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.ContentType).IsNull();
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
        await Assert.That(await State("d1")).IsEqualTo(Expect(200, """[{"id":510002,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Delete_with_representation_and_count_returns_the_deleted_rows()
    {
        using var _ = Assert.Multiple();
        await Seed("d2", 510011, 2);
        var r = await Delete(Http, "w_rows?grp=eq.d2&order=id&select=id,grp", Prefer("return=representation"), Prefer("count=exact"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":510011,"grp":"d2"},{"id":510012,"grp":"d2"}]"""));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/2");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=representation, count=exact");
        await Assert.That(await State("d2")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Delete_with_count_and_no_body()
    {
        using var _ = Assert.Multiple();
        await Seed("d3", 510021, 3);
        var r = await Delete(Http, "w_rows?grp=eq.d3", Prefer("count=exact"));
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/3");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("count=exact");
    }

    [Test]
    public async Task Delete_that_matches_nothing_with_representation_is_an_empty_array()
    {
        using var _ = Assert.Multiple();
        var r = await Delete(Http, "w_rows?id=eq.519999", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Delete_representation_can_embed_the_parent()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_parents", """{"id":510030,"name":"delete parent"}""");
        await Post(Http, "w_children", """{"id":510031,"parent_id":510030,"name":"doomed child"}""");
        var r = await Delete(Http, "w_children?id=eq.510031&select=id,parent:w_parents(id,name)", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":510031,"parent":{"id":510030,"name":"delete parent"}}]"""));
        await Assert.That(await Rows(Http, "w_children?id=eq.510031")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Delete_with_order_limit_and_offset_deletes_only_that_slice()
    {
        using var _ = Assert.Multiple();
        await Seed("d4", 510041, 3);
        var r = await Delete(Http, "w_rows?grp=eq.d4&order=id&limit=1&offset=1");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(await State("d4")).IsEqualTo(Expect(200, """[{"id":510041,"n":0,"note":null},{"id":510043,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Delete_with_order_desc_and_limit()
    {
        using var _ = Assert.Multiple();
        await Seed("d5", 510051, 4);
        var r = await Delete(Http, "w_rows?grp=eq.d5&order=id.desc&limit=2");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(await Rows(Http, "w_rows?grp=eq.d5&order=id&select=id")).IsEqualTo(Expect(200, """[{"id":510051},{"id":510052}]"""));
    }

    [Test]
    public async Task Delete_with_limit_but_no_order_is_PGRST109_and_deletes_nothing()
    {
        using var _ = Assert.Multiple();
        await Seed("d6", 510061, 2);
        var r = await Delete(Http, "w_rows?grp=eq.d6&limit=1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST109", "A 'limit' was applied without an explicit 'order'", null,
            "Apply an 'order' using unique column(s)"));
        await Assert.That(await Rows(Http, "w_rows?grp=eq.d6&select=id&order=id")).IsEqualTo(Expect(200, """[{"id":510061},{"id":510062}]"""));
    }

    // Prefer: handling=strict, max-affected=N -----------------------------------------------------

    [Test]
    public async Task Patch_over_max_affected_with_strict_handling_is_PGRST124_and_changes_nothing()
    {
        using var _ = Assert.Multiple();
        await Seed("m1", 520001, 3);
        var r = await Patch(Http, "w_rows?grp=eq.m1", """{"n":9}""", Prefer("handling=strict, max-affected=2"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST124", "Query result exceeds max-affected preference constraint",
            "The query affects 3 rows"));
        await Assert.That(await State("m1")).IsEqualTo(Expect(200,
            """[{"id":520001,"n":0,"note":null},{"id":520002,"n":0,"note":null},{"id":520003,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Delete_over_max_affected_with_strict_handling_is_PGRST124_and_deletes_nothing()
    {
        using var _ = Assert.Multiple();
        await Seed("m2", 520011, 3);
        var r = await Delete(Http, "w_rows?grp=eq.m2", Prefer("handling=strict, max-affected=2"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST124", "Query result exceeds max-affected preference constraint",
            "The query affects 3 rows"));
        await Assert.That(await Rows(Http, "w_rows?grp=eq.m2&select=id&order=id"))
            .IsEqualTo(Expect(200, """[{"id":520011},{"id":520012},{"id":520013}]"""));
    }

    [Test]
    public async Task Max_affected_zero_rejects_a_single_row_patch()
    {
        using var _ = Assert.Multiple();
        await Seed("m3", 520021, 1);
        var r = await Patch(Http, "w_rows?id=eq.520021", """{"n":1}""", Prefer("handling=strict"), Prefer("max-affected=0"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST124", "Query result exceeds max-affected preference constraint",
            "The query affects 1 rows"));
        await Assert.That(await State("m3")).IsEqualTo(Expect(200, """[{"id":520021,"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Within_max_affected_the_write_happens_and_both_preferences_are_applied()
    {
        using var _ = Assert.Multiple();
        await Seed("m4", 520031, 3);
        var r = await Delete(Http, "w_rows?grp=eq.m4", Prefer("handling=strict, max-affected=3"));
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("handling=strict, max-affected=3");
        await Assert.That(await State("m4")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Max_affected_with_lenient_handling_is_ignored()
    {
        using var _ = Assert.Multiple();
        await Seed("m5", 520041, 3);
        var r = await Patch(Http, "w_rows?grp=eq.m5", """{"n":2}""", Prefer("handling=lenient, max-affected=1"));
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("handling=lenient");
        await Assert.That(await State("m5")).IsEqualTo(Expect(200,
            """[{"id":520041,"n":2,"note":null},{"id":520042,"n":2,"note":null},{"id":520043,"n":2,"note":null}]"""));
    }

    [Test]
    public async Task Strict_handling_rejects_unknown_preferences_with_PGRST122()
    {
        using var _ = Assert.Multiple();
        await Seed("m6", 520051, 1);
        var r = await Patch(Http, "w_rows?id=eq.520051", """{"n":1}""", Prefer("handling=strict, anything"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST122", "Invalid preferences given with handling=strict",
            "Invalid preferences: anything"));
        await Assert.That(await State("m6")).IsEqualTo(Expect(200, """[{"id":520051,"n":0,"note":null}]"""));
    }
}
