using Hearth.Request;
using static Hearth.Tests.Request.Ast;

namespace Hearth.Tests.Request;

public class QueryStringParserTests
{
    [Test]
    public async Task Empty_query_gives_empty_params()
    {
        foreach (var query in new[] { "", "?", "&&", "a&b" })
        {
            var parsed = QueryStringParser.Parse(query);
            await Assert.That(parsed.Select.Count + parsed.Filters.Count + parsed.LogicTrees.Count + parsed.Orders.Count
                + parsed.Ranges.Count + parsed.RpcArguments.Count).IsEqualTo(0);
            await Assert.That(parsed.Columns).IsNull();
            await Assert.That(parsed.OnConflict).IsNull();
        }
    }

    [Test]
    public async Task Full_example()
    {
        var parsed = QueryStringParser.Parse("?select=id,name&age=gt.18&order=id.desc&limit=10&offset=5");
        var expected = new QueryParams(
            L<SelectItem>(Col("id"), Col("name")),
            L(new ScopedFilter(Path(), F("age"), Op(FilterOperator.Gt, "18"))),
            L<ScopedLogic>(),
            L(new ScopedOrder(Path(), L(new OrderTerm(F("id"), null, true, null)))),
            L(new ScopedRange(Path(), 10, 5)),
            null,
            null,
            L<KeyValuePair<string, string>>());
        await Assert.That(parsed).IsEqualTo(expected);
        // Structural equality: parsing twice gives equal values with equal hashes.
        await Assert.That(QueryStringParser.Parse("select=id,name&age=gt.18&order=id.desc&limit=10&offset=5").GetHashCode())
            .IsEqualTo(parsed.GetHashCode());
    }

    [Test]
    public async Task Semicolon_separates_pairs_like_postgrest()
    {
        var parsed = QueryStringParser.Parse("a=eq.1;b=eq.2");
        await Assert.That(parsed.Filters.Select(f => f.Field.Name).ToArray()).IsEquivalentTo(new[] { "a", "b" });
        // Encoded it is part of the value.
        await Assert.That(((SingleValue)QueryStringParser.Parse("a=eq.x%3By").Filters[0].Filter.Value).Text).IsEqualTo("x;y");
    }

    [Test]
    public async Task Value_may_contain_equals_signs()
    {
        var parsed = QueryStringParser.Parse("a=eq.x=y");
        await Assert.That(parsed.Filters[0].Filter).IsEqualTo(Op(FilterOperator.Eq, "x=y"));
    }

    [Test]
    public async Task Percent_encoded_keys()
    {
        var parsed = QueryStringParser.Parse("sel%65ct=id&my%20col=eq.1");
        await Assert.That(parsed.Select).IsEqualTo(L<SelectItem>(Col("id")));
        await Assert.That(parsed.Filters[0].Field).IsEqualTo(F("my col"));
    }

    [Test]
    public async Task First_select_columns_and_on_conflict_win()
    {
        var parsed = QueryStringParser.Parse("select=a&select=b&columns=x&columns=y&on_conflict=p&on_conflict=q");
        await Assert.That(parsed.Select).IsEqualTo(L<SelectItem>(Col("a")));
        await Assert.That(parsed.Columns).IsEqualTo((IReadOnlyList<string>)L("x"));
        await Assert.That(parsed.OnConflict).IsEqualTo((IReadOnlyList<string>)L("p"));
    }

    [Test]
    public async Task A_first_select_without_a_value_hides_later_ones()
    {
        // PostgREST looks the key up once: the first pair decides, and one without '=' means no select at all.
        var parsed = QueryStringParser.Parse("select&select=a&x.select=eq.1");
        await Assert.That(parsed.Select.Count).IsEqualTo(0);
        await Assert.That(parsed.Filters.Count).IsEqualTo(1); // x.select is a filter on column "select" of embed x
    }

    [Test]
    public async Task Columns_and_on_conflict_lists()
    {
        var parsed = QueryStringParser.Parse("columns=id,+name+,%22a,b%22&on_conflict=a,b");
        await Assert.That(parsed.Columns).IsEqualTo((IReadOnlyList<string>)L("id", "name", "a,b"));
        await Assert.That(parsed.OnConflict).IsEqualTo((IReadOnlyList<string>)L("a", "b"));
        await Assert.That(parsed.Filters.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Empty_columns_matches_postgrest_error()
    {
        var e = ParseError("columns=");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse columns parameter ()\" (line 1, column 1)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected end of input expecting field name (* or [a..z0..9_$])");
        e = ParseError("on_conflict=a,,b");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse on_conflict parameter (a,,b)\" (line 1, column 3)");
    }

    [Test]
    public async Task Reserved_words_only_count_in_their_position()
    {
        var parsed = QueryStringParser.Parse("books.select=eq.1&limit2=eq.2&order_id=eq.3&books.columns=eq.4&x.orx=eq.5");
        await Assert.That(parsed.Filters.Select(f => string.Join(".", f.EmbedPath.Append(f.Field.Name))).ToArray())
            .IsEquivalentTo(new[] { "books.select", "limit2", "order_id", "books.columns", "x.orx" });
        await Assert.That(parsed.Orders.Count + parsed.Ranges.Count + parsed.LogicTrees.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Limit_and_offset_per_embed_path()
    {
        var parsed = QueryStringParser.Parse("limit=10&offset=5&books.limit=2&books.offset=1&authors.offset=3");
        await Assert.That(parsed.Ranges).IsEqualTo(L(
            new ScopedRange(Path(), 10, 5),
            new ScopedRange(Path("books"), 2, 1),
            new ScopedRange(Path("authors"), null, 3)));
    }

    [Test]
    public async Task Last_duplicate_range_wins_and_negatives_are_kept()
    {
        var parsed = QueryStringParser.Parse("limit=1&limit=-1&offset=-4&offset=+7+");
        await Assert.That(parsed.Ranges).IsEqualTo(L(new ScopedRange(Path(), -1, 7)));
    }

    [Test]
    [Arguments("limit=abc", "limit")]
    [Arguments("limit=1.5", "limit")]
    [Arguments("limit=", "limit")]
    [Arguments("offset=1e3", "offset")]
    [Arguments("books.limit=x", "limit")]
    [Arguments("limit=99999999999999999999", "limit")]
    [Arguments("offset=--1", "offset")]
    public async Task Non_integer_ranges_are_parse_errors(string query, string which)
    {
        var e = ParseError(query);
        await Assert.That(e.Error.Code).IsEqualTo("PGRST100");
        await Assert.That(e.Error.Message).StartsWith($"\"failed to parse {which} parameter (");
    }

    [Test]
    public async Task Parameters_are_checked_in_postgrest_order()
    {
        // order is checked before select, select before filters.
        await Assert.That(ParseError("select=a,&order=x.y&id=foo").Error.Message).StartsWith("\"failed to parse order");
        await Assert.That(ParseError("id=foo&select=a,").Error.Message).StartsWith("\"failed to parse select");
    }

    [Test]
    public async Task Rpc_read_mode_turns_operatorless_values_into_arguments()
    {
        var parsed = QueryStringParser.Parse("a=1&b=eq.2&c=hello+world&d=eq&e=fts(x&f.g=3&h=", isRpcRead: true);
        await Assert.That(parsed.RpcArguments).IsEqualTo(L(
            new KeyValuePair<string, string>("a", "1"),
            new KeyValuePair<string, string>("c", "hello world"),
            new KeyValuePair<string, string>("d", "eq"),
            new KeyValuePair<string, string>("e", "fts(x"),
            new KeyValuePair<string, string>("g", "3"),
            new KeyValuePair<string, string>("h", "")));
        await Assert.That(parsed.Filters).IsEqualTo(L(new ScopedFilter(Path(), F("b"), Op(FilterOperator.Eq, "2"))));
    }

    [Test]
    [Arguments("arg=not.really")]
    [Arguments("arg=in.abc")]
    [Arguments("arg=is.good")]
    public async Task Rpc_read_mode_still_rejects_committed_operator_expressions(string query)
    {
        // PostgREST only falls back to an argument when no operator expression was started.
        var e = ParseError(query, isRpcRead: true);
        await Assert.That(e.Error.Message).StartsWith("\"failed to parse filter (");
    }

    [Test]
    public async Task Default_mode_rejects_operatorless_values()
    {
        var e = ParseError("a=1");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse filter (1)\" (line 1, column 1)");
    }

    [Test]
    public async Task Error_position_counts_lines_like_parsec()
    {
        var e = ParseError("select=%22a%0Ab%22:x.y");
        await Assert.That(e.Error.Message).EndsWith("(line 2, column 5)");
        await Assert.That(e.Error.Message).Contains("(\\\"a\\nb\\\":x.y)");
    }
}
