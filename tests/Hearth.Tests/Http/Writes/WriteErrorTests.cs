using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>Write errors: PostgREST's error objects and statuses, and nothing half-written afterwards.
/// w_items ids 600000..600099 (tags 'err-…'), w_rows grp 'err-…', w_parents/w_children 600100..600199.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class WriteErrorTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    private Task<string> ItemsBetween(int from, int to) => Rows(Http, $"w_items?id=gte.{from}&id=lte.{to}&select=id&order=id");

    [Test]
    public async Task Array_whose_objects_have_different_keys_is_PGRST102_and_inserts_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """[{"id":600001,"name":"a","tag":"err-1"},{"id":600002,"name":"b","tag":"err-2","qty":1}]""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST102", "All object keys must match"));
        await Assert.That(r.MediaType).IsEqualTo("application/json");
        await Assert.That(await ItemsBetween(600001, 600002)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task A_constraint_that_fails_at_commit_is_409_and_stores_nothing()
    {
        using var _ = Assert.Multiple();
        var insert = await Post(Http, "w_deferred", """{"id":2,"code":"taken"}""");
        await Assert.That(insert.Code).IsEqualTo(409);
        await Assert.That(insert.Json().GetProperty("code").GetString()).IsEqualTo("23505");
        await Assert.That((await Post(Http, "w_deferred", """{"id":5,"code":"free"}""")).Code).IsEqualTo(201);
        var update = await Patch(Http, "w_deferred?id=eq.5", """{"code":"taken"}""");
        await Assert.That(update.Code).IsEqualTo(409);
        // With return=representation the commit fails after the body was read: the error, not the body.
        var represented = await Post(Http, "w_deferred", """[{"id":3,"code":"x"},{"id":4,"code":"x"}]""", Prefer("return=representation"));
        await Assert.That(represented.Code).IsEqualTo(409);
        await Assert.That(await Rows(Http, "w_deferred?order=id")).IsEqualTo(Expect(200, """[{"id":1,"code":"taken"},{"id":5,"code":"free"}]"""));
    }

    [Test]
    public async Task Array_with_elements_that_are_not_objects_is_PGRST102()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """[{"id":600003,"name":"a"},123,"x",{"id":600004,"name":"b"}]""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST102", "All object keys must match"));
        await Assert.That(await ItemsBetween(600003, 600004)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    [Arguments("}{ x = 2")]
    [Arguments("")]
    [Arguments("""{"id":600005,"name":"unterminated""")]
    public async Task Invalid_or_empty_json_is_PGRST102(string body)
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", body);
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST102", "Empty or invalid json"));
        await Assert.That(await ItemsBetween(600005, 600005)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Invalid_json_on_patch_is_PGRST102()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_rows", """{"id":600010,"grp":"err-patch"}""");
        var r = await Patch(Http, "w_rows?id=eq.600010", "}{ x = 2");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST102", "Empty or invalid json"));
        var empty = await Patch(Http, "w_rows?id=eq.600010", "");
        await Assert.That(empty.StatusAndJson).IsEqualTo(Error(400, "PGRST102", "Empty or invalid json"));
        await Assert.That(await Rows(Http, "w_rows?id=eq.600010&select=n,note")).IsEqualTo(Expect(200, """[{"n":0,"note":null}]"""));
    }

    [Test]
    public async Task Unknown_column_in_the_body_is_PGRST204()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":600011,"name":"x","helicopter":true}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST204", "Could not find the 'helicopter' column of 'w_items' in the schema cache"));
        await Assert.That(await ItemsBetween(600011, 600011)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Unknown_column_in_a_patch_is_PGRST204()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_rows", """{"id":600012,"grp":"err-patch2"}""");
        var r = await Patch(Http, "w_rows?id=eq.600012", """{"n":5,"helicopter":true}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST204", "Could not find the 'helicopter' column of 'w_rows' in the schema cache"));
        await Assert.That(await Rows(Http, "w_rows?id=eq.600012&select=n")).IsEqualTo(Expect(200, """[{"n":0}]"""));
    }

    [Test]
    public async Task Wrong_type_is_22P02()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":600013,"name":"x","qty":"many","tag":"err-13"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "22P02", "invalid input syntax for type integer: \"many\""));
        await Assert.That(await ItemsBetween(600013, 600013)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Unique_violation_is_409_23505()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Post(Http, "w_items", """{"id":600014,"name":"x","tag":"err-dup"}""")).Code).IsEqualTo(201);
        var r = await Post(Http, "w_items", """{"id":600015,"name":"y","tag":"err-dup"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(409, "23505", "duplicate key value violates unique constraint \"w_items_tag_key\"",
            "Key (tag)=(err-dup) already exists."));
        await Assert.That(await ItemsBetween(600014, 600015)).IsEqualTo(Expect(200, """[{"id":600014}]"""));
    }

    [Test]
    public async Task Unique_violation_on_patch_is_409_and_changes_nothing()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_items", """[{"id":600016,"name":"x","tag":"err-p1"},{"id":600017,"name":"y","tag":"err-p2"}]""");
        var r = await Patch(Http, "w_items?id=eq.600017", """{"tag":"err-p1","name":"changed"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(409, "23505", "duplicate key value violates unique constraint \"w_items_tag_key\"",
            "Key (tag)=(err-p1) already exists."));
        await Assert.That(await Rows(Http, "w_items?id=eq.600017&select=name,tag")).IsEqualTo(Expect(200, """[{"name":"y","tag":"err-p2"}]"""));
    }

    [Test]
    public async Task Foreign_key_violation_is_409_23503()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_children", """{"id":600101,"parent_id":699999,"name":"orphan"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(409, "23503",
            "insert or update on table \"w_children\" violates foreign key constraint \"w_children_parent_id_fkey\"",
            "Key (parent_id)=(699999) is not present in table \"w_parents\"."));
        await Assert.That(await Rows(Http, "w_children?id=eq.600101")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Deleting_a_referenced_parent_is_409_23503_and_deletes_nothing()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_parents", """{"id":600110,"name":"referenced"}""");
        await Post(Http, "w_children", """{"id":600111,"parent_id":600110,"name":"holds it"}""");
        var r = await Delete(Http, "w_parents?id=eq.600110");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(409, "23503",
            "update or delete on table \"w_parents\" violates foreign key constraint \"w_children_parent_id_fkey\" on table \"w_children\"",
            "Key (id)=(600110) is still referenced from table \"w_children\"."));
        await Assert.That(await Rows(Http, "w_parents?id=eq.600110&select=name")).IsEqualTo(Expect(200, """[{"name":"referenced"}]"""));
    }

    [Test]
    public async Task Bulk_whose_last_child_has_a_missing_parent_inserts_nothing()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_parents", """{"id":600120,"name":"bulk parent"}""");
        var r = await Post(Http, "w_children",
            """[{"id":600121,"parent_id":600120,"name":"ok 1"},{"id":600122,"parent_id":600120,"name":"ok 2"},{"id":600123,"parent_id":699998,"name":"bad"}]""");
        await Assert.That(r.Code).IsEqualTo(409);
        await Assert.That(r.Json().GetProperty("code").GetString()).IsEqualTo("23503");
        await Assert.That(await Rows(Http, "w_children?parent_id=eq.600120")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Not_null_violation_is_400_23502()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":600018,"qty":1,"tag":"err-18"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "23502",
            "null value in column \"name\" of relation \"w_items\" violates not-null constraint",
            "Failing row contains (600018, null, 1, err-18, red)."));
        await Assert.That(await ItemsBetween(600018, 600018)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Check_violation_is_400_23514()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":600019,"name":"neg","qty":-1,"tag":"err-19"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "23514",
            "new row for relation \"w_items\" violates check constraint \"w_items_qty_check\"",
            "Failing row contains (600019, neg, -1, err-19, red)."));
        await Assert.That(await ItemsBetween(600019, 600019)).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Check_violation_on_a_multi_row_patch_changes_no_row()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_items", """[{"id":600020,"name":"a","qty":5,"tag":"err-20"},{"id":600021,"name":"b","qty":0,"tag":"err-21"}]""");
        // qty - 3 is fine for the first row but not the second: both stay as they were
        var r = await Patch(Http, "w_items?id=in.(600020,600021)", """{"qty":-3}""");
        await Assert.That(r.Code).IsEqualTo(400);
        await Assert.That(r.Json().GetProperty("code").GetString()).IsEqualTo("23514");
        await Assert.That(await Rows(Http, "w_items?id=in.(600020,600021)&select=id,qty&order=id"))
            .IsEqualTo(Expect(200, """[{"id":600020,"qty":5},{"id":600021,"qty":0}]"""));
    }

    [Test]
    public async Task Writing_an_unknown_table_is_404_PGRST205()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_nope", """{"id":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(404, "PGRST205", "Could not find the table 'public.w_nope' in the schema cache"));
        await Assert.That((await Patch(Http, "w_nope?id=eq.1", """{"id":2}""")).Code).IsEqualTo(404);
        await Assert.That((await Delete(Http, "w_nope?id=eq.1")).Code).IsEqualTo(404);
    }

    [Test]
    public async Task Writing_a_view_that_cannot_be_written_fails_and_changes_nothing()
    {
        using var _ = Assert.Multiple();
        // PostgreSQL's 55000 (object not in prerequisite state), which PostgREST maps to 500
        var r = await Post(Http, "w_items_summary", """{"n":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(500, "55000", "cannot insert into view \"w_items_summary\"",
            "Views that return aggregate functions are not automatically updatable.",
            "To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional ON INSERT DO INSTEAD rule."));
        var patch = await Patch(Http, "w_items_summary", """{"n":1}""");
        await Assert.That(patch.Code).IsEqualTo(500);
        await Assert.That(patch.Json().GetProperty("code").GetString()).IsEqualTo("55000");
    }
}
