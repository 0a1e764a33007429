using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>POST with Prefer: resolution=…, on_conflict=, and single-row PUT. Each test uses its own key
/// prefix in w_kv (k like 'upN-%') and its own a in w_pairs.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class UpsertTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    private async Task Seed(string json)
    {
        var r = await Post(Http, "w_kv", json);
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
    }

    [Test]
    public async Task Merge_duplicates_inserts_new_rows_and_updates_existing_ones()
    {
        using var _ = Assert.Multiple();
        await Seed("""[{"k":"up1-a","v":1},{"k":"up1-b","v":2}]""");
        var r = await Post(Http, "w_kv", """[{"k":"up1-a","v":10},{"k":"up1-c","v":3}]""",
            Prefer("return=representation"), Prefer("resolution=merge-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"up1-a","v":10,"slug":null},{"k":"up1-c","v":3,"slug":null}]"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("resolution=merge-duplicates, return=representation");
        await Assert.That(await Rows(Http, "w_kv?k=like.up1-*&order=k&select=k,v"))
            .IsEqualTo(Expect(200, """[{"k":"up1-a","v":10},{"k":"up1-b","v":2},{"k":"up1-c","v":3}]"""));
    }

    [Test]
    public async Task Resolution_on_a_table_without_a_key_or_on_conflict_is_a_plain_insert()
    {
        using var _ = Assert.Multiple();
        for (var i = 0; i < 2; i++)
        {
            var r = await Post(Http, "w_nokey", """{"label":"nk1","n":1}""", Prefer("resolution=merge-duplicates"));
            await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        }
        await Assert.That(await Rows(Http, "w_nokey?label=eq.nk1&select=n")).IsEqualTo(Expect(200, """[{"n":1},{"n":1}]"""));
    }

    [Test]
    public async Task Merge_duplicates_that_only_updates_is_200()
    {
        using var _ = Assert.Multiple();
        await Seed("""[{"k":"up2-a","v":1},{"k":"up2-b","v":2}]""");
        var r = await Post(Http, "w_kv?select=k,v", """[{"k":"up2-a","v":11},{"k":"up2-b","v":22}]""",
            Prefer("return=representation"), Prefer("resolution=merge-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"k":"up2-a","v":11},{"k":"up2-b","v":22}]"""));
        await Assert.That(await Rows(Http, "w_kv?k=like.up2-*&order=k&select=k,v"))
            .IsEqualTo(Expect(200, """[{"k":"up2-a","v":11},{"k":"up2-b","v":22}]"""));
    }

    [Test]
    public async Task Merge_duplicates_without_representation_is_201_and_applied()
    {
        using var _ = Assert.Multiple();
        await Seed("""{"k":"up3-a","v":1}""");
        var r = await Post(Http, "w_kv", """[{"k":"up3-a","v":5},{"k":"up3-b","v":6}]""", Prefer("resolution=merge-duplicates"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("resolution=merge-duplicates");
        await Assert.That(await Rows(Http, "w_kv?k=like.up3-*&order=k&select=k,v"))
            .IsEqualTo(Expect(200, """[{"k":"up3-a","v":5},{"k":"up3-b","v":6}]"""));
    }

    [Test]
    public async Task Merge_duplicates_with_an_empty_array_is_200()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_kv", "[]", Prefer("return=representation"), Prefer("resolution=merge-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Ignore_duplicates_inserts_only_new_rows_and_leaves_existing_ones()
    {
        using var _ = Assert.Multiple();
        await Seed("""[{"k":"up4-a","v":1}]""");
        var r = await Post(Http, "w_kv?select=k,v", """[{"k":"up4-a","v":10},{"k":"up4-c","v":3}]""",
            Prefer("return=representation"), Prefer("resolution=ignore-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"up4-c","v":3}]"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("resolution=ignore-duplicates, return=representation");
        await Assert.That(await Rows(Http, "w_kv?k=like.up4-*&order=k&select=k,v"))
            .IsEqualTo(Expect(200, """[{"k":"up4-a","v":1},{"k":"up4-c","v":3}]"""));
    }

    [Test]
    public async Task Ignore_duplicates_when_nothing_is_new_is_201_with_an_empty_array()
    {
        using var _ = Assert.Multiple();
        await Seed("""[{"k":"up5-a","v":1}]""");
        var r = await Post(Http, "w_kv", """[{"k":"up5-a","v":9}]""", Prefer("return=representation"), Prefer("resolution=ignore-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, "[]"));
        await Assert.That(await Rows(Http, "w_kv?k=eq.up5-a&select=v")).IsEqualTo(Expect(200, """[{"v":1}]"""));
    }

    [Test]
    public async Task On_conflict_merges_on_another_unique_column()
    {
        using var _ = Assert.Multiple();
        await Seed("""{"k":"up6-a","v":1,"slug":"up6-slug"}""");
        // the row with that slug is updated, key included; no new row
        var r = await Post(Http, "w_kv?on_conflict=slug", """[{"k":"up6-b","v":9,"slug":"up6-slug"}]""",
            Prefer("return=representation"), Prefer("resolution=merge-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"k":"up6-b","v":9,"slug":"up6-slug"}]"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("resolution=merge-duplicates, return=representation");
        await Assert.That(await Rows(Http, "w_kv?k=like.up6-*&select=k,v,slug"))
            .IsEqualTo(Expect(200, """[{"k":"up6-b","v":9,"slug":"up6-slug"}]"""));
    }

    [Test]
    public async Task On_conflict_with_ignore_duplicates_skips_rows_that_clash_on_that_column()
    {
        using var _ = Assert.Multiple();
        await Seed("""{"k":"up7-a","v":1,"slug":"up7-slug"}""");
        var r = await Post(Http, "w_kv?on_conflict=slug&select=k,slug", """[{"k":"up7-b","v":9,"slug":"up7-slug"},{"k":"up7-c","v":3,"slug":"up7-other"}]""",
            Prefer("return=representation"), Prefer("resolution=ignore-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"up7-c","slug":"up7-other"}]"""));
        await Assert.That(await Rows(Http, "w_kv?k=like.up7-*&order=k&select=k,v"))
            .IsEqualTo(Expect(200, """[{"k":"up7-a","v":1},{"k":"up7-c","v":3}]"""));
    }

    [Test]
    public async Task Conflict_without_a_resolution_is_409_and_changes_nothing()
    {
        using var _ = Assert.Multiple();
        await Seed("""{"k":"up8-a","v":1}""");
        var r = await Post(Http, "w_kv", """[{"k":"up8-b","v":2},{"k":"up8-a","v":3}]""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(409, "23505", "duplicate key value violates unique constraint \"w_kv_pkey\"",
            "Key (k)=(up8-a) already exists."));
        await Assert.That(await Rows(Http, "w_kv?k=like.up8-*&select=k,v")).IsEqualTo(Expect(200, """[{"k":"up8-a","v":1}]"""));
    }

    [Test]
    public async Task Merge_duplicates_on_a_composite_key()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Post(Http, "w_pairs", """{"a":901,"b":1,"v":"old"}""")).Code).IsEqualTo(201);
        var r = await Post(Http, "w_pairs", """[{"a":901,"b":1,"v":"new"},{"a":901,"b":2,"v":"two"}]""",
            Prefer("return=representation"), Prefer("resolution=merge-duplicates"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"a":901,"b":1,"v":"new"},{"a":901,"b":2,"v":"two"}]"""));
        await Assert.That(await Rows(Http, "w_pairs?a=eq.901&order=b"))
            .IsEqualTo(Expect(200, """[{"a":901,"b":1,"v":"new"},{"a":901,"b":2,"v":"two"}]"""));
    }

    // PUT ------------------------------------------------------------------------------------------

    [Test]
    public async Task Put_inserts_a_missing_row_with_204()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_kv?k=eq.put1", """{"k":"put1","v":1}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.ContentType).IsNull();
        await Assert.That(await Rows(Http, "w_kv?k=eq.put1")).IsEqualTo(Expect(200, """[{"k":"put1","v":1,"slug":null}]"""));
    }

    [Test]
    public async Task Put_with_representation_is_201_when_inserting_and_200_when_replacing()
    {
        using var _ = Assert.Multiple();
        var first = await Put(Http, "w_kv?k=eq.put2", """[{"k":"put2","v":1,"slug":"put2-s"}]""", Prefer("return=representation"));
        await Assert.That(first.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"put2","v":1,"slug":"put2-s"}]"""));
        await Assert.That(first.Header("Preference-Applied")).IsEqualTo("return=representation");
        var second = await Put(Http, "w_kv?k=eq.put2", """{"k":"put2","v":2,"slug":"put2-t"}""", Prefer("return=representation"));
        await Assert.That(second.StatusAndJson).IsEqualTo(Expect(200, """[{"k":"put2","v":2,"slug":"put2-t"}]"""));
        await Assert.That(await Rows(Http, "w_kv?k=eq.put2")).IsEqualTo(Expect(200, """[{"k":"put2","v":2,"slug":"put2-t"}]"""));
    }

    [Test]
    public async Task Put_on_a_composite_key_needs_both_columns()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_pairs?a=eq.902&b=eq.5", """{"a":902,"b":5,"v":"x"}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"a":902,"b":5,"v":"x"}]"""));
        var replaced = await Put(Http, "w_pairs?b=eq.5&a=eq.902", """{"a":902,"b":5,"v":"y"}""");
        await Assert.That(replaced.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(await Rows(Http, "w_pairs?a=eq.902")).IsEqualTo(Expect(200, """[{"a":902,"b":5,"v":"y"}]"""));

        var partial = await Put(Http, "w_pairs?a=eq.902", """{"a":902,"b":5,"v":"z"}""");
        await Assert.That(partial.StatusAndJson).IsEqualTo(Error(405, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators"));
        await Assert.That(await Rows(Http, "w_pairs?a=eq.902&select=v")).IsEqualTo(Expect(200, """[{"v":"y"}]"""));
    }

    [Test]
    [Arguments("w_kv?v=eq.1")]
    [Arguments("w_kv?k=gt.put3")]
    [Arguments("w_kv?k=in.(put3)")]
    [Arguments("w_kv?k=not.eq.put3")]
    [Arguments("w_kv?and=(k.eq.put3)")]
    [Arguments("w_kv?k=eq.put3&v=eq.1")]
    [Arguments("w_kv")]
    public async Task Put_filters_other_than_eq_on_exactly_the_primary_key_are_PGRST105(string url)
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, url, """{"k":"put3","v":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(405, "PGRST105", "Filters must include all and only primary key columns with 'eq' operators"));
        await Assert.That(await Rows(Http, "w_kv?k=eq.put3")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Put_on_a_relation_without_primary_key_is_PGRST105()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_items_summary?n=eq.1", """{"n":1}""");
        await Assert.That(r.Code).IsEqualTo(405);
        await Assert.That(r.Json().GetProperty("code").GetString()).IsEqualTo("PGRST105");
    }

    [Test]
    public async Task Put_whose_body_key_differs_from_the_url_is_PGRST115_and_writes_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_kv?k=eq.put4-url", """{"k":"put4-body","v":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST115", "Payload values do not match URL in primary key column(s)"));
        await Assert.That(await Rows(Http, "w_kv?k=like.put4-*")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Put_with_composite_key_mismatch_is_PGRST115()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_pairs?a=eq.903&b=eq.1", """{"a":903,"b":2,"v":"x"}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST115", "Payload values do not match URL in primary key column(s)"));
        await Assert.That(await Rows(Http, "w_pairs?a=eq.903")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    [Arguments("w_kv?k=eq.put5&limit=1")]
    [Arguments("w_kv?k=eq.put5&offset=1")]
    public async Task Put_with_limit_or_offset_is_PGRST114(string url)
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, url, """{"k":"put5","v":1}""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST114", "limit/offset querystring parameters are not allowed for PUT"));
        await Assert.That(await Rows(Http, "w_kv?k=eq.put5")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Put_with_an_array_of_one_object_works_too()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_kv?k=eq.put6&select=v", """[{"k":"put6","v":6}]""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"v":6}]"""));
    }
}
