using System.Text.RegularExpressions;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>POST of single objects: statuses, return= preferences, Location, select= and embedding on the
/// returned representation, Content-Range and Preference-Applied. Ids 100001..100099 of w_items.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class InsertTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Post_object_is_201_with_no_body_and_the_row_is_stored()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":100001,"name":"ins-a","qty":2,"tag":"ins-a"}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.ContentType).IsNull();
        await Assert.That(r.Header("Location")).IsNull();
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
        await Assert.That(r.Header("Preference-Applied")).IsNull();
        await Assert.That(await Rows(Http, "w_items?id=eq.100001"))
            .IsEqualTo(Expect(200, """[{"id":100001,"name":"ins-a","qty":2,"tag":"ins-a","color":"red"}]"""));
    }

    [Test]
    public async Task Return_representation_returns_the_inserted_row_with_its_defaults()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":100002,"name":"ins-b","tag":"ins-b"}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100002,"name":"ins-b","qty":0,"tag":"ins-b","color":"red"}]"""));
        await Assert.That(r.MediaType).IsEqualTo("application/json");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=representation");
        await Assert.That(r.Header("Location")).IsNull();
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
        await Assert.That(await Rows(Http, "w_items?id=eq.100002"))
            .IsEqualTo(Expect(200, """[{"id":100002,"name":"ins-b","qty":0,"tag":"ins-b","color":"red"}]"""));
    }

    [Test]
    public async Task Return_headers_only_gives_a_Location_that_reads_the_row_back()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"id":100003,"name":"ins-c","qty":3,"tag":"ins-c"}""", Prefer("return=headers-only"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.ContentType).IsNull();
        await Assert.That(r.Header("Location")).IsEqualTo("/w_items?id=eq.100003");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=headers-only");
        var back = await Get(Http, r.Header("Location")!.TrimStart('/'));
        await Assert.That(back.StatusAndJson).IsEqualTo(Expect(200, """[{"id":100003,"name":"ins-c","qty":3,"tag":"ins-c","color":"red"}]"""));
    }

    [Test]
    public async Task Return_minimal_is_201_with_no_body_and_is_applied()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?select=id,name", """{"id":100004,"name":"ins-d","tag":"ins-d"}""", Prefer("return=minimal"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.ContentType).IsNull();
        await Assert.That(r.Header("Location")).IsNull();
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=minimal");
        await Assert.That(await Rows(Http, "w_items?id=eq.100004&select=name")).IsEqualTo(Expect(200, """[{"name":"ins-d"}]"""));
    }

    [Test]
    public async Task Select_is_ignored_without_return_representation()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?select=id,name", """{"id":100005,"name":"ins-e","tag":"ins-e"}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.ContentType).IsNull();
    }

    [Test]
    public async Task Identity_key_is_generated_and_shows_in_Location()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """{"name":"ins-generated","tag":"ins-generated"}""", Prefer("return=headers-only"));
        await Assert.That(r.Code).IsEqualTo(201);
        var location = r.Header("Location") ?? "";
        await Assert.That(Regex.IsMatch(location, @"^/w_items\?id=eq\.\d+$")).IsTrue();
        var back = await Get(Http, location.TrimStart('/') + "&select=name,qty,color");
        await Assert.That(back.StatusAndJson).IsEqualTo(Expect(200, """[{"name":"ins-generated","qty":0,"color":"red"}]"""));
    }

    [Test]
    public async Task Select_renames_and_casts_the_returned_columns()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?select=ident:id::text,name,q:qty", """{"id":100006,"name":"ins-f","qty":6,"tag":"ins-f"}""",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"ident":"100006","name":"ins-f","q":6}]"""));
        await Assert.That(string.Join(",", r.Json()[0].EnumerateObject().Select(p => p.Name))).IsEqualTo("ident,name,q");
    }

    [Test]
    public async Task Inserted_child_embeds_its_parent()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Post(Http, "w_parents", """{"id":100010,"name":"ins parent"}""")).Code).IsEqualTo(201);
        var r = await Post(Http, "w_children?select=*,w_parents(*)", """{"id":100011,"parent_id":100010,"name":"ins child"}""",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201,
            """[{"id":100011,"parent_id":100010,"name":"ins child","w_parents":{"id":100010,"name":"ins parent"}}]"""));

        var narrow = await Post(Http, "w_children?select=name,parent:w_parents(name)", """{"id":100012,"parent_id":100010,"name":"ins child 2"}""",
            Prefer("return=representation"));
        await Assert.That(narrow.StatusAndJson).IsEqualTo(Expect(201, """[{"name":"ins child 2","parent":{"name":"ins parent"}}]"""));
    }

    [Test]
    public async Task Inserted_parent_embeds_its_children_as_an_array()
    {
        using var _ = Assert.Multiple();
        // a parent inserted now has no children yet: the embed is an empty array
        var r = await Post(Http, "w_parents?select=id,w_children(id)", """{"id":100017,"name":"ins parent 3"}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100017,"w_children":[]}]"""));
    }

    [Test]
    public async Task Count_exact_on_insert_sets_Content_Range_and_is_applied()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?select=id", """{"id":100020,"name":"ins-count","tag":"ins-count"}""",
            Prefer("return=representation"), Prefer("count=exact"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100020}]"""));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/1");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=representation, count=exact");
    }

    [Test]
    public async Task Count_exact_on_a_bulk_insert_without_body_counts_the_rows()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", """[{"id":100021,"name":"c1","tag":"ins-c1"},{"id":100022,"name":"c2","tag":"ins-c2"},{"id":100023,"name":"c3","tag":"ins-c3"}]""",
            Prefer("count=exact"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/3");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("count=exact");
    }

    [Test]
    public async Task Empty_object_inserts_a_row_of_defaults()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_defaults?select=label,n,grp", "{}", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"label":"unnamed","n":7,"grp":null}]"""));
    }

    [Test]
    public async Task Empty_array_inserts_nothing_and_returns_an_empty_array()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items", "[]", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, "[]"));
    }

    [Test]
    public async Task Insignificant_whitespace_and_unicode_round_trip()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?select=id,name,tag", "\t \n \r {\"id\":100030,\"name\":\"棋圍 ￥ ü\",\"tag\":\"ins-ü\"} \t \n \r ",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100030,"name":"棋圍 ￥ ü","tag":"ins-ü"}]"""));
        await Assert.That(await Rows(Http, "w_items?id=eq.100030&select=name")).IsEqualTo(Expect(200, """[{"name":"棋圍 ￥ ü"}]"""));
    }

    [Test]
    public async Task Explicit_nulls_are_stored_as_null()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?select=id,tag,color", """{"id":100031,"name":"ins-null","tag":null,"color":null}""",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100031,"tag":null,"color":null}]"""));
    }

    [Test]
    public async Task Insert_through_an_auto_updatable_view()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items_view", """{"id":100040,"name":"via view","qty":4,"tag":"ins-view"}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100040,"name":"via view","qty":4,"tag":"ins-view"}]"""));
        await Assert.That(await Rows(Http, "w_items?id=eq.100040&select=name,color")).IsEqualTo(Expect(200, """[{"name":"via view","color":"red"}]"""));
    }

    [Test]
    public async Task Tx_preference_is_ignored_when_the_server_does_not_allow_overrides()
    {
        using var _ = Assert.Multiple();
        // --db-tx-end commit (the default): Prefer: tx=rollback is not applied and the row is committed.
        var r = await Post(Http, "w_items", """{"id":100050,"name":"ins-tx","tag":"ins-tx"}""", Prefer("tx=rollback"), Prefer("return=minimal"));
        await Assert.That(r.Code).IsEqualTo(201);
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=minimal");
        await Assert.That(await Rows(Http, "w_items?id=eq.100050&select=name")).IsEqualTo(Expect(200, """[{"name":"ins-tx"}]"""));
    }
}
