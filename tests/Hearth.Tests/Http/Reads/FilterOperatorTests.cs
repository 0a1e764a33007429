using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>
/// Horizontal filtering, one operator at a time. Books: 1 Earthsea 1968, 2 Left Hand 1969, 3 Solaris 1961,
/// 4 Kindred 1979, 5 Cyberiad 1965 (meta and tags null).
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class FilterOperatorTests(SharedHearth hearth)
{
    private async Task<string> IdsOf(string url) => (await Get(hearth.Http, url)).StatusAndIds;

    [Test]
    [Arguments("books?select=id&order=id&year=eq.1968", new[] { 1 })]
    [Arguments("books?select=id&order=id&year=neq.1968", new[] { 2, 3, 4, 5 })]
    [Arguments("books?select=id&order=id&year=gt.1968", new[] { 2, 4 })]
    [Arguments("books?select=id&order=id&year=gte.1968", new[] { 1, 2, 4 })]
    [Arguments("books?select=id&order=id&year=lt.1965", new[] { 3 })]
    [Arguments("books?select=id&order=id&year=lte.1965", new[] { 3, 5 })]
    [Arguments("books?select=id&order=id&id=in.(1,3,5)", new[] { 1, 3, 5 })]
    [Arguments("books?select=id&order=id&title=in.(Solaris,Kindred)", new[] { 3, 4 })]
    [Arguments("books?select=id&order=id&id=in.()", new int[0])]
    public async Task Comparison_and_in_operators(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("books?select=id&order=id&title=like.*Dark*", new[] { 2 })]
    [Arguments("books?select=id&order=id&title=like.*dark*", new int[0])]
    [Arguments("books?select=id&order=id&title=like.The*", new[] { 2, 5 })]
    [Arguments("books?select=id&order=id&title=like.Solari_", new[] { 3 })]
    [Arguments("books?select=id&order=id&title=ilike.*dark*", new[] { 2 })]
    [Arguments("books?select=id&order=id&title=ilike.the*", new[] { 2, 5 })]
    [Arguments("books?select=id&order=id&title=match.^[KS]", new[] { 3, 4 })]
    [Arguments("books?select=id&order=id&title=match.^the", new int[0])]
    [Arguments("books?select=id&order=id&title=imatch.^the", new[] { 2, 5 })]
    [Arguments("books?select=id&order=id&title=imatch.darkness$", new[] { 2 })]
    public async Task Pattern_operators_with_star_wildcard(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("tasks?select=id&order=id&done=is.true", new[] { 1, 4 })]
    [Arguments("tasks?select=id&order=id&done=is.false", new[] { 2 })]
    [Arguments("tasks?select=id&order=id&done=is.null", new[] { 3 })]
    [Arguments("tasks?select=id&order=id&done=is.unknown", new[] { 3 })]
    [Arguments("tasks?select=id&order=id&done=is.not_null", new[] { 1, 2, 4 })]
    [Arguments("tasks?select=id&order=id&done=is.TRUE", new[] { 1, 4 })]
    [Arguments("tasks?select=id&order=id&done=not.is.true", new[] { 2, 3 })]
    [Arguments("tasks?select=id&order=id&priority=not.is.null", new[] { 1, 2, 4 })]
    [Arguments("books?select=id&order=id&meta=is.null", new[] { 5 })]
    [Arguments("books?select=id&order=id&meta=not.is.null", new[] { 1, 2, 3, 4 })]
    public async Task Is_operator(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("authors?select=id&order=id&country=isdistinct.US", new[] { 2, 3 })]
    [Arguments("authors?select=id&order=id&country=not.isdistinct.US", new[] { 1 })]
    [Arguments("tasks?select=id&order=id&done=isdistinct.true", new[] { 2, 3 })]
    [Arguments("authors?select=id&order=id&country=neq.US", new[] { 2 })]
    public async Task Isdistinct_treats_null_as_a_value(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("articles?select=id&order=id&body_tsv=fts.fox", new[] { 1 })]
    [Arguments("articles?select=id&order=id&body_tsv=fts.cat%20%7C%20fox", new[] { 1, 2, 3 })]
    [Arguments("articles?select=id&order=id&body_tsv=fts.dog%26cat", new[] { 3 })]
    [Arguments("articles?select=id&order=id&body_tsv=fts(english).jumping", new[] { 1 })]
    [Arguments("articles?select=id&order=id&body_tsv=fts(simple).jumping", new int[0])]
    [Arguments("articles?select=id&order=id&body_tsv=plfts(english).lazy%20cats", new[] { 2 })]
    [Arguments("articles?select=id&order=id&body_tsv=phfts(english).lazy%20dog", new[] { 1 })]
    [Arguments("articles?select=id&order=id&body_tsv=phfts(english).lazy%20cat", new[] { 2 })]
    [Arguments("articles?select=id&order=id&body_tsv=phfts(english).dog%20lazy", new int[0])]
    [Arguments("articles?select=id&order=id&body_tsv=wfts(english).cat%20-lazy", new[] { 3 })]
    [Arguments("articles?select=id&order=id&body_tsv=wfts(english).%22lazy%20dog%22%20or%20sleeping", new[] { 1, 2 })]
    [Arguments("articles?select=id&order=id&body_tsv=not.fts(english).lazy", new[] { 3 })]
    [Arguments("articles?select=id&order=id&body=fts(english).foxes", new[] { 1 })]
    public async Task Full_text_search_operators(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("books?select=id&order=id&tags=cs.%7Bclassic%7D", new[] { 1, 2 })]
    [Arguments("books?select=id&order=id&tags=cs.{scifi,classic}", new[] { 2 })]
    [Arguments("books?select=id&order=id&tags=cd.{scifi,classic}", new[] { 2, 3, 4 })]
    [Arguments("books?select=id&order=id&tags=ov.{fantasy,scifi}", new[] { 1, 2, 3 })]
    [Arguments("books?select=id&order=id&tags=not.ov.{fantasy,scifi}", new[] { 4 })]
    [Arguments("books?select=id&order=id&meta=cs.%7B%22lang%22:%22pl%22%7D", new[] { 3 })]
    [Arguments("books?select=id&order=id&meta=cd.%7B%22lang%22:%22en%22,%22pages%22:183,%22x%22:1%7D", new[] { 1 })]
    public async Task Array_and_jsonb_containment(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("reservations?select=id&order=id&seats=ov.[3,6)", new[] { 1, 2 })]
    [Arguments("reservations?select=id&order=id&seats=sl.[10,20)", new[] { 1, 2 })]
    [Arguments("reservations?select=id&order=id&seats=sr.[10,20)", new[] { 3 })]
    [Arguments("reservations?select=id&order=id&seats=nxr.[1,6)", new[] { 1 })]
    [Arguments("reservations?select=id&order=id&seats=nxl.[5,6)", new[] { 2, 3 })]
    [Arguments("reservations?select=id&order=id&seats=adj.[10,20)", new[] { 2, 3 })]
    [Arguments("reservations?select=id&order=id&seats=cs.[2,3]", new[] { 1 })]
    [Arguments("reservations?select=id&order=id&seats=cd.[0,12)", new[] { 1, 2 })]
    [Arguments("reservations?select=id&order=id&seats=not.cd.[0,12)", new[] { 3 })]
    [Arguments("reservations?select=id&order=id&during=ov.%5B2024-01-01%2011:00:00%2B00,2024-01-01%2013:00:00%2B00)", new[] { 1, 2 })]
    [Arguments("reservations?select=id&order=id&during=sr.%5B2024-01-01%2000:00:00%2B00,2024-01-01%2023:00:00%2B00)", new[] { 3 })]
    public async Task Range_operators(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("books?select=id&order=id&year=not.eq.1968", new[] { 2, 3, 4, 5 })]
    [Arguments("books?select=id&order=id&year=not.gt.1965", new[] { 3, 5 })]
    [Arguments("books?select=id&order=id&title=not.like.The*", new[] { 1, 3, 4 })]
    [Arguments("books?select=id&order=id&title=not.ilike.*the*", new[] { 1, 3, 4 })]
    [Arguments("books?select=id&order=id&id=not.in.(1,2)", new[] { 3, 4, 5 })]
    [Arguments("books?select=id&order=id&title=not.match.^The", new[] { 1, 3, 4 })]
    public async Task Not_negates_an_operator(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("books?select=id&order=id&title=like(any).{A*,K*}", new[] { 1, 4 })]
    [Arguments("books?select=id&order=id&title=like(all).{*of*,*Dark*}", new[] { 2 })]
    [Arguments("books?select=id&order=id&title=ilike(any).{*wizard*,*solaris*}", new[] { 1, 3 })]
    [Arguments("books?select=id&order=id&id=eq(any).{1,2}", new[] { 1, 2 })]
    [Arguments("books?select=id&order=id&id=not.eq(any).{1,2}", new[] { 3, 4, 5 })]
    [Arguments("books?select=id&order=id&year=gt(all).{1960,1968}", new[] { 2, 4 })]
    [Arguments("books?select=id&order=id&year=lt(any).{1962,1966}", new[] { 3, 5 })]
    [Arguments("books?select=id&order=id&title=match(any).{^Sol,^Kin}", new[] { 3, 4 })]
    public async Task Any_and_all_modifiers(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("books?select=id&order=id&meta->>lang=eq.en", new[] { 1, 2, 4 })]
    [Arguments("books?select=id&order=id&meta->pages=gt.200", new[] { 2, 3, 4 })]
    [Arguments("books?select=id&order=id&meta->>pages=eq.204", new[] { 3 })]
    [Arguments("books?select=id&order=id&meta->>lang=in.(pl,xx)", new[] { 3 })]
    [Arguments("books?select=id&order=id&meta->>lang=is.null", new[] { 5 })]
    [Arguments("books?select=id&order=id&meta->lang=eq.%22pl%22", new[] { 3 })]
    [Arguments("books?select=id&order=id&meta->>lang=not.eq.en", new[] { 3 })]
    public async Task Json_path_filters(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("labels?select=id&order=id&name=in.(%22a,b%22,c)", new[] { 1, 2 })]
    [Arguments("labels?select=id&order=id&name=in.(\"(parens)\",\"x.y\")", new[] { 3, 5 })]
    [Arguments("labels?select=id&order=id&name=in.(%22say%20%5C%22hi%5C%22%22)", new[] { 6 })]
    [Arguments("labels?select=id&order=id&name=eq.x.y", new[] { 3 })]
    [Arguments("labels?select=id&order=id&name=eq.(parens)", new[] { 5 })]
    [Arguments("labels?select=id&order=id&name=eq.a,b", new[] { 1 })]
    // Outside in.() lists and logic trees, double quotes are ordinary characters of the value.
    [Arguments("labels?select=id&order=id&name=eq.%22x.y%22", new int[0])]
    [Arguments("labels?select=id&order=id&name=eq.say%20%22hi%22", new[] { 6 })]
    public async Task Quoted_values_with_reserved_characters(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    [Arguments("authors?select=id&name=eq.Stanis%C5%82aw%20Lem", new[] { 2 })]
    [Arguments("authors?select=id&name=eq.Ursula+K.+Le+Guin", new[] { 1 })]
    [Arguments("books?select=id&title=eq.A%20Wizard%20of%20Earthsea", new[] { 1 })]
    [Arguments("labels?select=id&name=eq.100%25", new[] { 7 })]
    [Arguments("labels?select=id&name=eq.a%26b%3Dc", new[] { 8 })]
    [Arguments("labels?select=id&name=eq.with%20space", new[] { 4 })]
    [Arguments("books?select=id&order=id&%74itle=eq.Kindred", new[] { 4 })]
    public async Task Percent_encoding_and_plus_decode_in_keys_and_values(string url, int[] ids) =>
        await Assert.That(await IdsOf(url)).IsEqualTo(Ids(200, ids));

    [Test]
    public async Task Several_filters_on_one_request_are_anded()
    {
        await Assert.That(await IdsOf("books?select=id&order=id&author_id=eq.1&year=gt.1968")).IsEqualTo(Ids(200, 2));
        await Assert.That(await IdsOf("books?select=id&order=id&year=gt.1960&year=lt.1966")).IsEqualTo(Ids(200, 3, 5));
    }
}
