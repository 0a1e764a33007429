using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>or=(…), and=(…), nesting, negation, and trees applied to embedded resources.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class LogicTreeTests(SharedHearth hearth)
{
    private async Task<string> IdsOf(string url) => (await Get(hearth.Http, url)).StatusAndIds;

    [Test]
    [Arguments("books?select=id&order=id&or=(year.lt.1962,year.gt.1975)", new[] { 3, 4 })]
    [Arguments("books?select=id&order=id&and=(year.gte.1965,year.lte.1968)", new[] { 1, 5 })]
    [Arguments("books?select=id&order=id&or=(id.eq.1,and(year.gt.1960,year.lt.1965))", new[] { 1, 3 })]
    [Arguments("books?select=id&order=id&and=(author_id.eq.2,or(year.eq.1961,year.eq.1979))", new[] { 3 })]
    [Arguments("books?select=id&order=id&or=(id.eq.4,and(author_id.eq.1,not.or(year.eq.1968,year.eq.1970)))", new[] { 2, 4 })]
    [Arguments("books?select=id&order=id&not.or=(year.lt.1962,year.gt.1975)", new[] { 1, 2, 5 })]
    [Arguments("books?select=id&order=id&not.and=(author_id.eq.1,year.gt.1968)", new[] { 1, 3, 4, 5 })]
    [Arguments("books?select=id&order=id&or=(year.not.gt.1965,title.eq.Kindred)", new[] { 3, 4, 5 })]
    [Arguments("books?select=id&order=id&author_id=eq.1&or=(year.eq.1968,year.eq.1979)", new[] { 1 })]
    [Arguments("books?select=id&order=id&or=(id.eq.1)", new[] { 1 })]
    public async Task Or_and_nesting_and_negation(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("books?select=id&order=id&or=(meta.is.null,year.eq.1961)", new[] { 3, 5 })]
    [Arguments("books?select=id&order=id&or=(id.in.(1,2),id.eq.5)", new[] { 1, 2, 5 })]
    [Arguments("books?select=id&order=id&or=(title.like(any).{A*,K*},id.eq.5)", new[] { 1, 4, 5 })]
    [Arguments("books?select=id&order=id&or=(title.ilike.*wizard*,title.like.*Dark*)", new[] { 1, 2 })]
    [Arguments("books?select=id&order=id&or=(meta->>lang.eq.pl,id.eq.1)", new[] { 1, 3 })]
    [Arguments("books?select=id&order=id&or=(meta->pages.gt.300,tags.cs.{fantasy})", new[] { 1, 2 })]
    [Arguments("articles?select=id&order=id&or=(body_tsv.fts.fox,id.eq.3)", new[] { 1, 3 })]
    [Arguments("articles?select=id&order=id&or=(body_tsv.wfts(english).sleeping,id.eq.3)", new[] { 2, 3 })]
    [Arguments("tasks?select=id&order=id&or=(done.is.false,done.is.null)", new[] { 2, 3 })]
    [Arguments("tasks?select=id&order=id&or=(done.isdistinct.true,id.eq.1)", new[] { 1, 2, 3 })]
    [Arguments("reservations?select=id&order=id&or=(seats.sr.%22[10,20)%22,seats.cs.%22[2,3]%22)", new[] { 1, 3 })]
    public async Task Trees_accept_every_operator(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("labels?select=id&order=id&or=(name.in.(%22a,b%22,c),id.eq.3)", new[] { 1, 2, 3 })]
    [Arguments("labels?select=id&order=id&or=(name.eq.%22x.y%22,name.eq.%22a,b%22)", new[] { 1, 3 })]
    [Arguments("labels?select=id&order=id&or=(name.eq.%22(parens)%22,name.eq.%22say%20%5C%22hi%5C%22%22)", new[] { 5, 6 })]
    [Arguments("labels?select=id&order=id&or=(name.eq.with%20space,name.eq.100%25)", new[] { 4, 7 })]
    public async Task Trees_unquote_values_with_reserved_characters(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    public async Task Or_on_an_embedded_resource_filters_the_children_only()
    {
        var r = await Get(hearth.Http, "authors?select=id,books(id)&books.or=(year.lt.1962,year.gt.1975)&books.order=id&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":1,"books":[]},{"id":2,"books":[{"id":3}]},{"id":3,"books":[{"id":4}]}]"""));
    }

    [Test]
    public async Task And_on_an_embedded_resource_with_inner_join_filters_the_parents()
    {
        var r = await Get(hearth.Http, "authors?select=id,books!inner(id)&books.and=(year.gt.1960,year.lt.1966)&books.order=id&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":2,"books":[{"id":3},{"id":5}]}]"""));
    }

    [Test]
    public async Task Not_or_on_an_embedded_resource()
    {
        var r = await Get(hearth.Http, "authors?select=id,books(id)&books.not.or=(year.lt.1962,year.gt.1975)&books.order=id&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":1,"books":[{"id":1},{"id":2}]},{"id":2,"books":[{"id":5}]},{"id":3,"books":[]}]"""));
    }

    [Test]
    public async Task Or_may_reference_an_embedded_resource_for_null_checks()
    {
        // countries without a capital, or France: the embedded resource name is usable inside the tree.
        var r = await Get(hearth.Http, "countries?select=id,capitals(name)&or=(capitals.is.null,id.eq.1)&order=id");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200,
            """[{"id":1,"capitals":{"name":"Paris"}},{"id":3,"capitals":null}]"""));
    }
}
