using Hearth.Request;
using static Hearth.Tests.Request.Ast;

namespace Hearth.Tests.Request;

public class OrderParserTests
{
    private static IReadOnlyList<OrderTerm> Terms(string value) => QueryStringParser.Parse("order=" + value).Orders.Single().Terms;

    [Test]
    public async Task Directions_and_nulls()
    {
        await Assert.That(Terms("a.desc.nullslast,b,c.asc.nullsfirst,d.nullsfirst,e.asc")).IsEqualTo(L(
            new OrderTerm(F("a"), null, true, false),
            new OrderTerm(F("b"), null, null, null),
            new OrderTerm(F("c"), null, false, true),
            new OrderTerm(F("d"), null, null, true),
            new OrderTerm(F("e"), null, false, null)));
    }

    [Test]
    public async Task Json_paths()
    {
        await Assert.That(Terms("json_col->key.asc.nullslast,numbers->0.desc,data->>x")).IsEqualTo(L(
            new OrderTerm(F("json_col", Key("key")), null, false, false),
            new OrderTerm(F("numbers", Index("0")), null, true, null),
            new OrderTerm(F("data", TextKey("x")), null, null, null)));
    }

    [Test]
    public async Task Related_column_terms()
    {
        await Assert.That(Terms("author(name).desc,clients(json_col->key).desc.nullsfirst,id")).IsEqualTo(L(
            new OrderTerm(F("name"), "author", true, null),
            new OrderTerm(F("json_col", Key("key")), "clients", true, true),
            new OrderTerm(F("id"), null, null, null)));
    }

    [Test]
    public async Task Embedded_order_keys_and_duplicates()
    {
        var orders = QueryStringParser.Parse("order=id&books.order=id.desc&books.authors.order=name").Orders;
        await Assert.That(orders).IsEqualTo(L(
            new ScopedOrder(Path(), L(new OrderTerm(F("id"), null, null, null))),
            new ScopedOrder(Path("books"), L(new OrderTerm(F("id"), null, true, null))),
            new ScopedOrder(Path("books", "authors"), L(new OrderTerm(F("name"), null, null, null)))));
    }

    [Test]
    public async Task Spaces_around_terms()
    {
        await Assert.That(Terms("+a.desc+,+b+")).IsEqualTo(L(new OrderTerm(F("a"), null, true, null), new OrderTerm(F("b"), null, null, null)));
    }

    [Test]
    public async Task Trailing_garbage_matches_postgrest_error()
    {
        var e = ParseError("order=id.asc.nullslasttt");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse order (id.asc.nullslasttt)\" (line 1, column 17)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected 't' expecting \",\" or end of input");

        e = ParseError("order=id.descc");
        await Assert.That(e.Error.Message).EndsWith("(line 1, column 8)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected 'c' expecting delimiter (.), \",\" or end of input");
    }

    [Test]
    public async Task Unknown_modifier()
    {
        var e = ParseError("order=id.ac");
        await Assert.That(e.Error.Message).EndsWith("(line 1, column 4)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"a\" expecting \"asc\", \"desc\", \"nullsfirst\" or \"nullslast\"");

        e = ParseError("order=id.asc.smth34");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"s\" expecting \"nullsfirst\" or \"nullslast\"");
    }

    [Test]
    [Arguments("order=")]
    [Arguments("order=clients(name,id)")]
    [Arguments("order=id,")]
    [Arguments("order=id.desc.asc")]
    [Arguments("order=a.b")]
    [Arguments("order=rel(a")]
    public async Task Malformed_orders_are_rejected(string query)
    {
        var e = ParseError(query);
        await Assert.That(e.Error.Message).StartsWith("\"failed to parse order (");
    }
}
