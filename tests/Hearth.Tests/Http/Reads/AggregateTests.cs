using System.Text.Json;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>
/// Aggregate functions in select (needs --db-aggregates-enabled, so a private instance).
/// Books years: 1968, 1969, 1961, 1979, 1965 (sum 9842); authors 1: two books, 2: two, 3: one.
/// </summary>
[ClassDataSource<FeaturesHearth>(Shared = SharedType.PerClass)]
public class AggregateTests(FeaturesHearth hearth)
{
    private async Task<string> JsonOf(string url) => (await Get(hearth.Http, url)).StatusAndJson;

    [Test]
    [Arguments("books?select=count()", """[{"count":5}]""")]
    [Arguments("books?select=n:count()", """[{"n":5}]""")]
    [Arguments("books?select=count()::text", """[{"count":"5"}]""")]
    [Arguments("books?select=count()&year=gt.1965", """[{"count":3}]""")]
    [Arguments("books?select=year.count()", """[{"count":5}]""")]
    [Arguments("books?select=meta.count()", """[{"count":4}]""")]
    [Arguments("books?select=year.sum()", """[{"sum":9842}]""")]
    [Arguments("books?select=year.max()", """[{"max":1979}]""")]
    [Arguments("books?select=year.min()", """[{"min":1961}]""")]
    [Arguments("books?select=year.sum(),year.max(),year.min()", """[{"sum":9842,"max":1979,"min":1961}]""")]
    [Arguments("books?select=total:year.sum()::text", """[{"total":"9842"}]""")]
    [Arguments("books?select=meta->>pages::int.sum()", """[{"sum":955}]""")]
    public async Task Aggregates_over_all_rows(string url, string expected) =>
        await Assert.That(await JsonOf(url)).IsEqualTo(Expect(200, expected));

    [Test]
    public async Task Avg_returns_a_numeric()
    {
        var r = await Get(hearth.Http, "books?select=year.avg()");
        await Assert.That(r.Code).IsEqualTo(200);
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That(json.RootElement[0].GetProperty("avg").GetDecimal()).IsEqualTo(1968.4m);
    }

    [Test]
    public async Task Other_selected_columns_become_the_group_by()
    {
        await Assert.That(await JsonOf("books?select=author_id,count()&order=author_id")).IsEqualTo(Expect(200,
            """[{"author_id":1,"count":2},{"author_id":2,"count":2},{"author_id":3,"count":1}]"""));
        await Assert.That(await JsonOf("books?select=a:author_id,first:year.min(),last:year.max()&order=author_id.desc")).IsEqualTo(Expect(200,
            """[{"a":3,"first":1979,"last":1979},{"a":2,"first":1961,"last":1965},{"a":1,"first":1968,"last":1969}]"""));
        await Assert.That(await JsonOf("books?select=meta->>lang,count()&order=meta->>lang")).IsEqualTo(Expect(200,
            """[{"lang":"en","count":3},{"lang":"pl","count":1},{"lang":null,"count":1}]"""));
        await Assert.That(await JsonOf("tasks?select=done,count()&order=done.nullsfirst")).IsEqualTo(Expect(200,
            """[{"done":null,"count":1},{"done":false,"count":1},{"done":true,"count":2}]"""));
    }

    [Test]
    public async Task A_bare_count_groups_only_beside_a_real_aggregate()
    {
        // Bare count is PostgreSQL's count(row): PostgREST adds GROUP BY only for its own aggregates, so beside
        // plain columns alone it is PostgreSQL's 42803 even with aggregates enabled.
        await Assert.That(await JsonOf("authors?select=name,books(id,count)")).IsEqualTo(Expect(400,
            """{"code":"42803","details":null,"hint":null,"message":"column \"books_1.id\" must appear in the GROUP BY clause or be used in an aggregate function"}"""));
        await Assert.That(await JsonOf("books?select=author_id,count(),rows:count&order=author_id")).IsEqualTo(Expect(200,
            """[{"author_id":1,"count":2,"rows":2},{"author_id":2,"count":2,"rows":2},{"author_id":3,"count":1,"rows":1}]"""));
    }

    [Test]
    public async Task Aggregates_with_a_to_one_embed_in_the_group_by()
    {
        await Assert.That(await JsonOf("books?select=author_id,n:count(),authors(name)&order=author_id")).IsEqualTo(Expect(200,
            """[{"author_id":1,"n":2,"authors":{"name":"Ursula K. Le Guin"}},{"author_id":2,"n":2,"authors":{"name":"Stanisław Lem"}},{"author_id":3,"n":1,"authors":{"name":"Octavia E. Butler"}}]"""));
    }

    [Test]
    public async Task Aggregates_inside_a_to_many_embed()
    {
        await Assert.That(await JsonOf("authors?select=name,books(count())&order=id")).IsEqualTo(Expect(200,
            """[{"name":"Ursula K. Le Guin","books":[{"count":2}]},{"name":"Stanisław Lem","books":[{"count":2}]},{"name":"Octavia E. Butler","books":[{"count":1}]}]"""));
        await Assert.That(await JsonOf("films?select=title,actors(count())&order=id")).IsEqualTo(Expect(200,
            """[{"title":"Alien","actors":[{"count":1}]},{"title":"Heat","actors":[{"count":2}]},{"title":"Ronin","actors":[{"count":2}]},{"title":"Silent Film","actors":[{"count":0}]}]"""));
        await Assert.That(await JsonOf("authors?select=id,books(year.max(),year.min())&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"books":[{"max":1969,"min":1968}]},{"id":2,"books":[{"max":1965,"min":1961}]},{"id":3,"books":[{"max":1979,"min":1979}]}]"""));
    }

    [Test]
    public async Task Aggregates_on_spread_columns()
    {
        await Assert.That(await JsonOf("books?select=n:count(),...authors(country)&order=authors(country)")).IsEqualTo(Expect(200,
            """[{"n":2,"country":"PL"},{"n":2,"country":"US"},{"n":1,"country":null}]"""));
    }

    [Test]
    public async Task Aggregates_respect_filters_and_the_aggregate_of_nothing_is_null()
    {
        await Assert.That(await JsonOf("books?select=year.sum(),count()&id=eq.0")).IsEqualTo(Expect(200,
            """[{"sum":null,"count":0}]"""));
    }

    [Test]
    public async Task Unknown_aggregate_is_a_parse_error()
    {
        var r = await Get(hearth.Http, "books?select=year.median()");
        await Assert.That(r.Code).IsEqualTo(400);
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That(json.RootElement.GetProperty("code").GetString()).IsEqualTo("PGRST100");
    }
}
