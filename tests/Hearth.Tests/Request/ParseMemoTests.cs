using Hearth.Errors;
using Hearth.Request;

namespace Hearth.Tests.Request;

/// <summary>
/// The parser remembers select, order, keys, columns and on_conflict by their text, and whole query strings that
/// hold no filters (ParseMemo). What a
/// client sees must not change: the same answers, the same errors, however many distinct texts arrive.
/// </summary>
public class ParseMemoTests
{
    [Test]
    public async Task A_repeated_select_and_order_are_parsed_once_and_shared()
    {
        var a = QueryStringParser.Parse("select=id,title,author:authors(name)&order=id.desc&id=eq.1");
        var b = QueryStringParser.Parse("select=id,title,author:authors(name)&order=id.desc&id=eq.2");
        using var _ = Assert.Multiple();
        await Assert.That(ReferenceEquals(a.Select, b.Select)).IsTrue();
        await Assert.That(ReferenceEquals(a.Orders[0], b.Orders[0])).IsTrue();
        // The values are never remembered: each request keeps its own.
        await Assert.That(a.Filters[0]).IsNotEqualTo(b.Filters[0]);
    }

    [Test]
    public async Task A_query_without_filters_is_remembered_whole_and_one_with_values_is_not()
    {
        const string list = "select=id,name&order=id&limit=20&offset=40";
        var a = QueryStringParser.Parse(list);
        var b = QueryStringParser.Parse(list);
        using var _ = Assert.Multiple();
        await Assert.That(ReferenceEquals(a, b)).IsTrue();
        await Assert.That(b.Ranges[0].Offset).IsEqualTo(40);
        await Assert.That(b.ShapeKey).IsEqualTo(a.ShapeKey);
        // Filters carry the request's values: such a query is parsed every time, however often it repeats.
        const string read = "select=id&id=eq.42";
        await Assert.That(ReferenceEquals(QueryStringParser.Parse(read), QueryStringParser.Parse(read))).IsFalse();
        // A function read parses its parameters as arguments: never served from the plain parse of the same text.
        await Assert.That(QueryStringParser.Parse("select=id", isRpcRead: true).ShapeKey).IsNull();
    }

    [Test]
    public async Task More_distinct_texts_than_the_memo_holds_still_parse_exactly_as_a_fresh_parse()
    {
        // Past the capacity the memo starts afresh; every answer stays the parser's own.
        for (var round = 0; round < 2; round++)
            for (var i = 0; i < 1200; i++)
            {
                var query = $"select=c{i},d{i}:e{i}(f)&c{i}.order=f.asc&order=c{i}.desc.nullslast&limit=3";
                var parsed = QueryStringParser.Parse(query);
                await Assert.That(parsed.Select.Count).IsEqualTo(2);
                await Assert.That(((FieldSelect)parsed.Select[0]).Field.Name).IsEqualTo($"c{i}");
                await Assert.That(((EmbedSelect)parsed.Select[1]).Alias).IsEqualTo($"d{i}");
                await Assert.That(parsed.Orders.Select(o => string.Join(".", o.EmbedPath) + ":" + o.Terms[0].Field.Name)).IsEquivalentTo([$"c{i}:f", $":c{i}"]);
            }
    }

    [Test]
    public async Task A_text_that_fails_is_refused_every_time_and_a_long_text_still_parses()
    {
        using var _ = Assert.Multiple();
        for (var i = 0; i < 2; i++)
        {
            var e = Assert.Throws<ApiException>(() => QueryStringParser.Parse("select=id,,name"));
            await Assert.That(e.Error.Code).IsEqualTo("PGRST100");
        }
        var columns = string.Join(",", Enumerable.Range(0, 100).Select(i => $"column_{i}"));
        await Assert.That(columns.Length).IsGreaterThan(ParseMemo<string, string>.MaxTextLength);
        await Assert.That(QueryStringParser.Parse("select=" + columns).Select.Count).IsEqualTo(100);
        await Assert.That(QueryStringParser.Parse("select=" + columns).Select.Count).IsEqualTo(100);
    }
}
