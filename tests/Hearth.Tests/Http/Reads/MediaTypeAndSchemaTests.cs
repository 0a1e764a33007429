using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>Accept negotiation (json, singular object, csv, plan), Accept-Profile, views, quoted names.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class MediaTypeAndSchemaTests(SharedHearth hearth)
{
    [Test]
    [Arguments(null)]
    [Arguments("application/json")]
    [Arguments("*/*")]
    [Arguments("text/unknowntype, application/json")]
    public async Task Json_is_the_default_and_accepted_spellings(string? accept)
    {
        var r = accept is null ? await Get(hearth.Http, "books?select=id&id=eq.1") : await Get(hearth.Http, "books?select=id&id=eq.1", ("Accept", accept));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1}]"""));
        await Assert.That(r.ContentType).IsEqualTo("application/json; charset=utf-8");
    }

    [Test]
    [Arguments("application/vnd.pgrst.object+json")]
    [Arguments("application/vnd.pgrst.object")]
    public async Task Singular_object_with_exactly_one_row(string accept)
    {
        var r = await Get(hearth.Http, "books?select=id,title&id=eq.1", ("Accept", accept));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"id":1,"title":"A Wizard of Earthsea"}"""));
        await Assert.That(r.ContentType).IsEqualTo("application/vnd.pgrst.object+json; charset=utf-8");
    }

    [Test]
    public async Task Singular_object_with_an_embed()
    {
        var r = await Get(hearth.Http, "authors?select=name,books(id)&id=eq.2&books.order=id", ("Accept", "application/vnd.pgrst.object+json"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"name":"Stanisław Lem","books":[{"id":3},{"id":5}]}"""));
    }

    [Test]
    public async Task Singular_object_with_no_rows_is_406_PGRST116()
    {
        var r = await Get(hearth.Http, "books?id=eq.0", ("Accept", "application/vnd.pgrst.object+json"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(406,
            """{"code":"PGRST116","details":"The result contains 0 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}"""));
        await Assert.That(r.ContentType).IsEqualTo("application/json; charset=utf-8");
    }

    [Test]
    public async Task Singular_object_with_several_rows_is_406_PGRST116()
    {
        var r = await Get(hearth.Http, "books?author_id=eq.1", ("Accept", "application/vnd.pgrst.object+json"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(406,
            """{"code":"PGRST116","details":"The result contains 2 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}"""));
        r = await Get(hearth.Http, "books", ("Accept", "application/vnd.pgrst.object+json"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(406,
            """{"code":"PGRST116","details":"The result contains 5 rows","hint":null,"message":"Cannot coerce the result to a single JSON object"}"""));
    }

    [Test]
    public async Task Csv_has_a_header_line_and_record_style_quoting()
    {
        var r = await Get(hearth.Http, "authors?select=id,name,country&order=id", ("Accept", "text/csv"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo(
            "200 id,name,country\n1,\"Ursula K. Le Guin\",US\n2,\"Stanisław Lem\",PL\n3,\"Octavia E. Butler\",");
        await Assert.That(r.ContentType).IsEqualTo("text/csv; charset=utf-8");
    }

    [Test]
    public async Task Csv_quotes_commas_and_doubles_quotes()
    {
        var r = await Get(hearth.Http, "labels?select=id,name&id=in.(1,2,6)&order=id", ("Accept", "text/csv"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("200 id,name\n1,\"a,b\"\n2,c\n6,\"say \"\"hi\"\"\"");
    }

    [Test]
    public async Task Csv_wins_when_listed_first_and_unknown_types_are_skipped()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id&limit=2", ("Accept", "text/csv, application/json"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("200 id\n1\n2");
        r = await Get(hearth.Http, "books?select=id&order=id&limit=2", ("Accept", "text/unknowntype, text/csv"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("200 id\n1\n2");
        r = await Get(hearth.Http, "books?select=id&order=id&limit=2", ("Accept", "application/json;q=0.5, text/csv"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("200 id\n1\n2");
    }

    [Test]
    public async Task Csv_with_a_count_keeps_the_range_headers()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id&limit=1", ("Accept", "text/csv"), ("Prefer", "count=exact"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("206 id\n1");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-0/5");
    }

    [Test]
    public async Task Unknown_accept_is_406_PGRST107()
    {
        var r = await Get(hearth.Http, "books", ("Accept", "text/unknowntype"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(406,
            """{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: text/unknowntype"}"""));
        await Assert.That(r.ContentType).IsEqualTo("application/json; charset=utf-8");
    }

    [Test]
    [Arguments("application/vnd.pgrst.plan")]
    [Arguments("application/vnd.pgrst.plan+json")]
    [Arguments("application/vnd.pgrst.plan+text")]
    public async Task Plan_media_type_is_406_when_not_enabled(string accept)
    {
        var r = await Get(hearth.Http, "books?id=in.(1,2,3)", ("Accept", accept));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(406,
            $$"""{"code":"PGRST107","details":null,"hint":null,"message":"None of these media types are available: {{accept}}"}"""));
    }

    [Test]
    public async Task Accept_profile_selects_the_schema_and_content_profile_names_it()
    {
        var r = await Get(hearth.Http, "things?select=id,label", ("Accept-Profile", "other"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1,"label":"from the other schema"}]"""));
        await Assert.That(r.Header("Content-Profile")).IsEqualTo("other");

        r = await Get(hearth.Http, "books?select=id&id=eq.1", ("Accept-Profile", "public"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1}]"""));
        await Assert.That(r.Header("Content-Profile")).IsEqualTo("public");

        r = await Get(hearth.Http, "books?select=id&id=eq.1");
        await Assert.That(r.Header("Content-Profile")).IsEqualTo("public");
    }

    [Test]
    public async Task A_table_of_another_schema_is_not_found_in_the_default_one()
    {
        var r = await Get(hearth.Http, "things");
        await Assert.That(r.Code).IsEqualTo(404);
        r = await Get(hearth.Http, "books", ("Accept-Profile", "other"));
        await Assert.That(r.Code).IsEqualTo(404);
    }

    [Test]
    public async Task Views_are_readable_with_filters_and_order()
    {
        var r = await Get(hearth.Http, "books_view?select=title&year=gt.1968&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"title":"The Left Hand of Darkness"},{"title":"Kindred"}]"""));
        r = await Get(hearth.Http, "books_view?select=id&order=year.desc&limit=2", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(206, 4, 2));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/5");
    }

    [Test]
    public async Task Materialized_views_are_readable()
    {
        var r = await Get(hearth.Http, "book_counts?order=author_id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"author_id":1,"n":2},{"author_id":2,"n":2},{"author_id":3,"n":1}]"""));
        r = await Get(hearth.Http, "book_counts?select=author_id&n=gt.1&order=author_id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"author_id":1},{"author_id":2}]"""));
    }

    [Test]
    public async Task Materialized_view_as_singular_object_and_csv()
    {
        var r = await Get(hearth.Http, "book_counts?author_id=eq.3", ("Accept", "application/vnd.pgrst.object+json"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """{"author_id":3,"n":1}"""));
        r = await Get(hearth.Http, "book_counts?order=author_id", ("Accept", "text/csv"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("200 author_id,n\n1,2\n2,2\n3,1");
    }

    [Test]
    public async Task Table_name_with_a_space_and_capitals()
    {
        var r = await Get(hearth.Http, "Weird%20Table?select=Mixed%20Case&id=eq.1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"Mixed Case":"first"}]"""));
        r = await Get(hearth.Http, "Weird%20Table?select=id,Mixed%20Case&order=id", ("Accept", "text/csv"));
        await Assert.That($"{r.Code} {r.Body}").IsEqualTo("200 id,Mixed Case\n1,first\n2,second");
        // Identifiers are case sensitive.
        r = await Get(hearth.Http, "weird%20table");
        await Assert.That(r.Code).IsEqualTo(404);
    }
}
