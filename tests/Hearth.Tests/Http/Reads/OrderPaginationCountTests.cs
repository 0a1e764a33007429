using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>order=, limit/offset, the Range header, Content-Range, Prefer: count=…, HEAD.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class OrderPaginationCountTests(SharedHearth hearth)
{
    private async Task<string> IdsOf(string url) => (await Get(hearth.Http, url)).StatusAndIds;

    [Test]
    [Arguments("books?select=id&order=author_id.desc.nullslast,year.asc", new[] { 4, 3, 5, 1, 2 })]
    [Arguments("books?select=id&order=year.desc", new[] { 4, 2, 1, 5, 3 })]
    [Arguments("authors?select=id&order=country", new[] { 2, 1, 3 })]
    [Arguments("authors?select=id&order=country.asc", new[] { 2, 1, 3 })]
    [Arguments("authors?select=id&order=country.desc", new[] { 3, 1, 2 })]
    [Arguments("authors?select=id&order=country.desc.nullslast", new[] { 1, 2, 3 })]
    [Arguments("authors?select=id&order=country.asc.nullsfirst", new[] { 3, 2, 1 })]
    [Arguments("authors?select=id&order=country.nullsfirst", new[] { 3, 2, 1 })]
    [Arguments("books?select=id&order=meta->pages.desc.nullslast", new[] { 2, 4, 3, 1, 5 })]
    [Arguments("books?select=id&order=meta->>lang,id.desc", new[] { 4, 2, 1, 3, 5 })]
    [Arguments("books?select=id,authors(name)&order=authors(name).desc,id", new[] { 1, 2, 3, 5, 4 })]
    [Arguments("books?select=id,authors(name)&order=authors(name).asc,id.desc", new[] { 4, 5, 3, 2, 1 })]
    [Arguments("books?select=id,a:authors(name)&order=a(name),id", new[] { 4, 3, 5, 1, 2 })]
    [Arguments("Weird%20Table?select=id&order=Mixed%20Case.desc", new[] { 2, 1 })]
    public async Task Order_terms(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    public async Task Order_on_a_to_many_embed_is_PGRST118()
    {
        var r = await Get(hearth.Http, "authors?select=id,books(id)&order=books(id)");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(400,
            """{"code":"PGRST118","details":"'authors' and 'books' do not form a many-to-one or one-to-one relationship","hint":null,"message":"A related order on 'books' is not possible"}"""));
    }

    [Test]
    public async Task Order_on_a_resource_that_is_not_embedded_is_PGRST108()
    {
        var r = await Get(hearth.Http, "books?select=id&order=authors(name)");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(400,
            """{"code":"PGRST108","details":null,"hint":"Verify that 'authors' is included in the 'select' query parameter.","message":"'authors' is not an embedded resource in this request"}"""));
    }

    [Test]
    public async Task Limit_and_offset()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id&limit=2");
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1, 2));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/*");

        r = await Get(hearth.Http, "books?select=id&order=id&limit=2&offset=1");
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 2, 3));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("1-2/*");

        r = await Get(hearth.Http, "books?select=id&order=id&offset=3");
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("3-4/*");
    }

    [Test]
    public async Task No_range_at_all_reports_the_whole_result()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id");
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1, 2, 3, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-4/*");
    }

    [Test]
    public async Task Limit_zero_and_empty_results()
    {
        var r = await Get(hearth.Http, "books?select=id&limit=0");
        await Assert.That(r.StatusAndJson).IsEqualTo("200 []");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");

        r = await Get(hearth.Http, "books?select=id&id=eq.0");
        await Assert.That(r.StatusAndJson).IsEqualTo("200 []");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");

        r = await Get(hearth.Http, "books?select=id&id=eq.0", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndJson).IsEqualTo("200 []");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/0");
    }

    [Test]
    public async Task Negative_offset_is_a_no_op()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id&offset=-4");
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1, 2, 3, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-4/*");
    }

    [Test]
    public async Task Negative_limit_is_416()
    {
        var r = await Get(hearth.Http, "books?select=id&limit=-1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(416,
            """{"code":"PGRST103","details":"Limit should be greater than or equal to zero.","hint":null,"message":"Requested range not satisfiable"}"""));
    }

    [Test]
    public async Task Range_header_selects_rows()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id", ("Range-Unit", "items"), ("Range", "0-1"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1, 2));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/*");

        r = await Get(hearth.Http, "books?select=id&order=id", ("Range-Unit", "items"), ("Range", "3-"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("3-4/*");

        r = await Get(hearth.Http, "books?select=id&order=id", ("Range-Unit", "items"), ("Range", "3-100"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("3-4/*");
    }

    [Test]
    public async Task Range_header_wins_over_limit()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id&limit=3", ("Range", "0-1"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1, 2));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/*");
    }

    [Test]
    public async Task Range_header_with_lower_above_upper_is_416()
    {
        var r = await Get(hearth.Http, "books?select=id", ("Range", "2-1"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(416,
            """{"code":"PGRST103","details":"The lower boundary must be lower than or equal to the upper boundary in the Range header.","hint":null,"message":"Requested range not satisfiable"}"""));
    }

    [Test]
    public async Task Count_exact_on_a_partial_range_is_206_with_the_total()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id", ("Range-Unit", "items"), ("Range", "0-1"), ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(206, 1, 2));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/5");

        r = await Get(hearth.Http, "books?select=id&order=id&limit=2&offset=3", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(206, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("3-4/5");
    }

    [Test]
    public async Task Count_exact_on_the_complete_result_is_200()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1, 2, 3, 4, 5));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-4/5");

        r = await Get(hearth.Http, "books?select=id&order=id&year=gt.1968", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 2, 4));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/2");
    }

    [Test]
    public async Task Count_exact_counts_the_filtered_parents_not_the_embeds()
    {
        var r = await Get(hearth.Http, "authors?select=id,books!inner(id)&books.year=gt.1965&order=id&limit=1", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(206, 1));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-0/2");
    }

    [Test]
    public async Task Offset_past_the_end_with_count_exact_is_416_PGRST103()
    {
        var r = await Get(hearth.Http, "books?select=id&offset=10", ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(416,
            """{"code":"PGRST103","details":"An offset of 10 was requested, but there are only 5 rows.","hint":null,"message":"Requested range not satisfiable"}"""));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/5");

        r = await Get(hearth.Http, "books?select=id", ("Range", "7-9"), ("Prefer", "count=exact"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(416,
            """{"code":"PGRST103","details":"An offset of 7 was requested, but there are only 5 rows.","hint":null,"message":"Requested range not satisfiable"}"""));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/5");
    }

    [Test]
    public async Task Offset_past_the_end_without_count_is_an_empty_200()
    {
        var r = await Get(hearth.Http, "books?select=id&offset=10");
        await Assert.That(r.StatusAndJson).IsEqualTo("200 []");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
    }

    [Test]
    public async Task Count_none_is_like_no_count()
    {
        var r = await Get(hearth.Http, "books?select=id&order=id&limit=1", ("Prefer", "count=none"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(200, 1));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-0/*");
    }

    [Test]
    public async Task Count_planned_uses_the_planner_estimate()
    {
        // films is analyzed in the fixture, so the estimate of a full scan is exact.
        var r = await Head(hearth.Http, "films", ("Prefer", "count=planned"));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-3/4");

        r = await Get(hearth.Http, "films?select=id&order=id&limit=2", ("Prefer", "count=planned"));
        await Assert.That(r.StatusAndIds).IsEqualTo(Ids(206, 1, 2));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/4");
    }

    [Test]
    public async Task Head_returns_the_headers_and_no_body()
    {
        var r = await Head(hearth.Http, "books?select=id&order=id&limit=2", ("Prefer", "count=exact"));
        await Assert.That(r.Code).IsEqualTo(206);
        await Assert.That(r.Body).IsEqualTo("");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-1/5");
        await Assert.That(r.ContentType).IsEqualTo("application/json; charset=utf-8");

        r = await Head(hearth.Http, "books?select=id&order=id&limit=3&offset=2");
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.Body).IsEqualTo("");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("2-4/*");
    }

    [Test]
    public async Task Head_of_an_error_has_the_status_and_no_body()
    {
        var r = await Head(hearth.Http, "nope");
        await Assert.That(r.Code).IsEqualTo(404);
        await Assert.That(r.Body).IsEqualTo("");
        r = await Head(hearth.Http, "books?id=eq.abc");
        await Assert.That(r.Code).IsEqualTo(400);
        await Assert.That(r.Body).IsEqualTo("");
    }

    [Test]
    public async Task Embedded_order_limit_and_offset()
    {
        var r = await Get(hearth.Http, "authors?select=id,books(id)&books.order=id.desc&books.limit=1&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":1,"books":[{"id":2}]},{"id":2,"books":[{"id":5}]},{"id":3,"books":[{"id":4}]}]"""));

        r = await Get(hearth.Http, "authors?select=id,books(id)&books.order=id&books.offset=1&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":1,"books":[{"id":2}]},{"id":2,"books":[{"id":5}]},{"id":3,"books":[]}]"""));

        r = await Get(hearth.Http, "films?select=id,actors(id)&actors.order=id.desc&actors.limit=1&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":1,"actors":[{"id":1}]},{"id":2,"actors":[{"id":3}]},{"id":3,"actors":[{"id":4}]},{"id":4,"actors":[]}]"""));
    }

    [Test]
    public async Task Top_level_limit_does_not_limit_embeds()
    {
        var r = await Get(hearth.Http, "authors?select=id,books(id)&books.order=id&order=id&limit=1");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1,"books":[{"id":1},{"id":2}]}]"""));
        await Assert.That(r.Header("Content-Range")).IsEqualTo("0-0/*");
    }
}
