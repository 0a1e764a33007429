using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>Vertical filtering: select=, aliases, casts, JSON paths and their output names.</summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class SelectTests(SharedHearth hearth)
{
    private async Task<string> JsonOf(string url) => (await Get(hearth.Http, url)).StatusAndJson;

    [Test]
    public async Task Star_selects_every_column_in_table_order()
    {
        var r = await Get(hearth.Http, "authors?select=*&id=eq.3");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":3,"name":"Octavia E. Butler","country":null}]"""));
        await Assert.That(string.Join(",", Json.Keys(r.Body))).IsEqualTo("id,name,country");
    }

    [Test]
    public async Task Columns_come_back_in_the_requested_order()
    {
        var r = await Get(hearth.Http, "books?select=year,title,id&id=eq.3");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"year":1961,"title":"Solaris","id":3}]"""));
        await Assert.That(string.Join(",", Json.Keys(r.Body))).IsEqualTo("year,title,id");
    }

    [Test]
    [Arguments("authors?select=who:name,id&id=eq.1", """[{"who":"Ursula K. Le Guin","id":1}]""")]
    [Arguments("books?select=id::text,year::text&id=eq.1", """[{"id":"1","year":"1968"}]""")]
    [Arguments("books?select=ident:id::text&id=eq.1", """[{"ident":"1"}]""")]
    [Arguments("books?select=id,meta->>lang,meta->pages&id=eq.1", """[{"id":1,"lang":"en","pages":183}]""")]
    [Arguments("books?select=meta->lang&id=eq.3", """[{"lang":"pl"}]""")]
    [Arguments("books?select=language:meta->>lang&id=eq.3", """[{"language":"pl"}]""")]
    [Arguments("books?select=meta->>pages::int&id=eq.3", """[{"pages":204}]""")]
    [Arguments("books?select=p:meta->pages::text&id=eq.3", """[{"p":"204"}]""")]
    [Arguments("books?select=id,meta->>lang&id=eq.5", """[{"id":5,"lang":null}]""")]
    [Arguments("books?select=tags&id=eq.2", """[{"tags":["scifi","classic"]}]""")]
    [Arguments("books?select=meta&id=eq.3", """[{"meta":{"lang":"pl","pages":204}}]""")]
    [Arguments("reservations?select=seats&id=eq.1", """[{"seats":"[1,5)"}]""")]
    [Arguments("tasks?select=title,done&id=eq.3", """[{"title":"ship","done":null}]""")]
    public async Task Aliases_casts_and_json_paths(string url, string expected) =>
        await Assert.That(await JsonOf(url)).IsEqualTo(Expect(200, expected));

    [Test]
    public async Task Nested_select_inside_an_embed()
    {
        await Assert.That(await JsonOf("authors?select=name,books(title,year)&id=eq.1&books.order=id")).IsEqualTo(Expect(200,
            """[{"name":"Ursula K. Le Guin","books":[{"title":"A Wizard of Earthsea","year":1968},{"title":"The Left Hand of Darkness","year":1969}]}]"""));
    }

    [Test]
    public async Task Nested_embed_with_alias_and_cast_inside()
    {
        await Assert.That(await JsonOf("books?select=t:title,writer:authors(n:name,id::text)&id=eq.4")).IsEqualTo(Expect(200,
            """[{"t":"Kindred","writer":{"n":"Octavia E. Butler","id":"3"}}]"""));
    }

    [Test]
    public async Task Same_column_twice_under_two_aliases()
    {
        await Assert.That(await JsonOf("books?select=a:id,b:id&id=eq.2")).IsEqualTo(Expect(200, """[{"a":2,"b":2}]"""));
    }

    [Test]
    public async Task Quoted_identifiers_with_spaces_and_capitals()
    {
        await Assert.That(await JsonOf("Weird%20Table?select=Mixed%20Case&order=id")).IsEqualTo(Expect(200,
            """[{"Mixed Case":"first"},{"Mixed Case":"second"}]"""));
        await Assert.That(await JsonOf("Weird%20Table?Mixed%20Case=eq.second")).IsEqualTo(Expect(200,
            """[{"id":2,"Mixed Case":"second"}]"""));
        await Assert.That(await JsonOf("Weird%20Table?select=mc:Mixed%20Case&order=Mixed%20Case.desc")).IsEqualTo(Expect(200,
            """[{"mc":"second"},{"mc":"first"}]"""));
        await Assert.That(await JsonOf("Weird%20Table?select=id&or=(Mixed%20Case.eq.first,id.eq.2)&order=id")).IsEqualTo(Expect(200,
            """[{"id":1},{"id":2}]"""));
    }
}
