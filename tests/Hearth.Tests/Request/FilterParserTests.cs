using Hearth.Request;
using static Hearth.Tests.Request.Ast;

namespace Hearth.Tests.Request;

public class FilterParserTests
{
    private static ScopedFilter Single(string query)
    {
        var filters = QueryStringParser.Parse(query).Filters;
        if (filters.Count != 1) throw new InvalidOperationException($"expected one filter, got {filters.Count}");
        return filters[0];
    }

    private static Filter FilterOf(string value) => Single("col=" + value).Filter;

    [Test]
    public async Task Simple_filter_has_root_path_field_and_operator()
    {
        await Assert.That(Single("age=gt.18")).IsEqualTo(new ScopedFilter(Path(), F("age"), Op(FilterOperator.Gt, "18")));
    }

    [Test]
    [Arguments("eq", FilterOperator.Eq)]
    [Arguments("neq", FilterOperator.Neq)]
    [Arguments("gt", FilterOperator.Gt)]
    [Arguments("gte", FilterOperator.Gte)]
    [Arguments("lt", FilterOperator.Lt)]
    [Arguments("lte", FilterOperator.Lte)]
    [Arguments("like", FilterOperator.Like)]
    [Arguments("ilike", FilterOperator.ILike)]
    [Arguments("match", FilterOperator.Match)]
    [Arguments("imatch", FilterOperator.IMatch)]
    [Arguments("isdistinct", FilterOperator.IsDistinct)]
    [Arguments("fts", FilterOperator.Fts)]
    [Arguments("plfts", FilterOperator.PlFts)]
    [Arguments("phfts", FilterOperator.PhFts)]
    [Arguments("wfts", FilterOperator.WFts)]
    [Arguments("cs", FilterOperator.Cs)]
    [Arguments("cd", FilterOperator.Cd)]
    [Arguments("ov", FilterOperator.Ov)]
    [Arguments("sl", FilterOperator.Sl)]
    [Arguments("sr", FilterOperator.Sr)]
    [Arguments("nxr", FilterOperator.Nxr)]
    [Arguments("nxl", FilterOperator.Nxl)]
    [Arguments("adj", FilterOperator.Adj)]
    public async Task Every_single_value_operator(string name, FilterOperator op)
    {
        await Assert.That(FilterOf(name + ".v1")).IsEqualTo(Op(op, "v1"));
        await Assert.That(FilterOf("not." + name + ".v1")).IsEqualTo(Op(op, "v1", negated: true));
    }

    [Test]
    public async Task Value_is_everything_after_the_operator_dot()
    {
        await Assert.That(FilterOf("eq.a.b.c")).IsEqualTo(Op(FilterOperator.Eq, "a.b.c"));
        await Assert.That(FilterOf("eq.")).IsEqualTo(Op(FilterOperator.Eq, ""));
        await Assert.That(FilterOf("eq.(x,y)\"z\"")).IsEqualTo(Op(FilterOperator.Eq, "(x,y)\"z\""));
        await Assert.That(FilterOf("eq.a=b")).IsEqualTo(Op(FilterOperator.Eq, "a=b"));
    }

    [Test]
    public async Task Top_level_values_keep_their_quotes()
    {
        // Only inside or=/and= trees and in.() lists are double quotes syntax.
        await Assert.That(FilterOf("eq.%22a,b%22")).IsEqualTo(Op(FilterOperator.Eq, "\"a,b\""));
    }

    [Test]
    public async Task Plus_is_a_space_and_percent_escapes_are_decoded()
    {
        await Assert.That(FilterOf("eq.hello+world")).IsEqualTo(Op(FilterOperator.Eq, "hello world"));
        await Assert.That(FilterOf("eq.1%2B1")).IsEqualTo(Op(FilterOperator.Eq, "1+1"));
        await Assert.That(FilterOf("eq.caf%C3%A9%26co")).IsEqualTo(Op(FilterOperator.Eq, "café&co"));
        await Assert.That(FilterOf("eq.100%")).IsEqualTo(Op(FilterOperator.Eq, "100%"));
    }

    [Test]
    public async Task Quantifiers()
    {
        await Assert.That(FilterOf("eq(any).{1,2}")).IsEqualTo(Op(FilterOperator.Eq, "{1,2}", quantifier: Quantifier.Any));
        await Assert.That(FilterOf("like(all).{a*,b*}")).IsEqualTo(Op(FilterOperator.Like, "{a*,b*}", quantifier: Quantifier.All));
        await Assert.That(FilterOf("not.gte(any).{1}")).IsEqualTo(Op(FilterOperator.Gte, "{1}", true, Quantifier.Any));
        await Assert.That(FilterOf("imatch(any).{^a}")).IsEqualTo(Op(FilterOperator.IMatch, "{^a}", quantifier: Quantifier.Any));
    }

    [Test]
    public async Task Full_text_search_language()
    {
        await Assert.That(FilterOf("fts(english).cat")).IsEqualTo(Op(FilterOperator.Fts, "cat", language: "english"));
        await Assert.That(FilterOf("not.wfts(simple).a+b")).IsEqualTo(Op(FilterOperator.WFts, "a b", true, language: "simple"));
        await Assert.That(FilterOf("plfts.cat")).IsEqualTo(Op(FilterOperator.PlFts, "cat"));
    }

    [Test]
    public async Task In_lists_with_quotes_and_escapes()
    {
        await Assert.That(FilterOf("in.(1,2,3)")).IsEqualTo(In("1", "2", "3"));
        await Assert.That(FilterOf("in.(a,\"b,c\",d)")).IsEqualTo(In("a", "b,c", "d"));
        await Assert.That(FilterOf("in.(\"a\\\"b\",\"c\\\\d\",\"x)y\")")).IsEqualTo(In("a\"b", "c\\d", "x)y"));
        await Assert.That(FilterOf("in.(\"\")")).IsEqualTo(In(""));
        // A quote that does not span the whole item is just a character.
        await Assert.That(FilterOf("in.(\"a\"b,c)")).IsEqualTo(In("\"a\"b", "c"));
        await Assert.That(FilterOf("not.in.(x)")).IsEqualTo(new Filter(true, FilterOperator.In, null, null, new ListValue(L("x"))));
    }

    [Test]
    public async Task In_list_spacing_follows_postgrest()
    {
        // Spaces just inside the parentheses are skipped; spaces inside items are kept.
        await Assert.That(FilterOf("in.(+1,+2+)")).IsEqualTo(In("1", " 2 "));
    }

    [Test]
    public async Task Empty_in_list_is_one_empty_item()
    {
        var filter = FilterOf("in.()");
        await Assert.That(filter).IsEqualTo(In(""));
        await Assert.That(((ListValue)filter.Value).IsEmptyList).IsTrue();
        await Assert.That(((ListValue)FilterOf("in.(a)").Value).IsEmptyList).IsFalse();
    }

    [Test]
    public async Task Is_values_are_case_insensitive()
    {
        await Assert.That(FilterOf("is.null")).IsEqualTo(Is(IsKeyword.Null));
        await Assert.That(FilterOf("is.NULL")).IsEqualTo(Is(IsKeyword.Null));
        await Assert.That(FilterOf("is.Not_Null")).IsEqualTo(Is(IsKeyword.NotNull));
        await Assert.That(FilterOf("is.TRUE")).IsEqualTo(Is(IsKeyword.True));
        await Assert.That(FilterOf("is.false")).IsEqualTo(Is(IsKeyword.False));
        await Assert.That(FilterOf("is.unKnown")).IsEqualTo(Is(IsKeyword.Unknown));
        await Assert.That(FilterOf("not.is.null")).IsEqualTo(Is(IsKeyword.Null, negated: true));
    }

    [Test]
    public async Task Like_keeps_stars_and_exposes_the_sql_pattern()
    {
        var filter = FilterOf("like.*abc*");
        await Assert.That(filter).IsEqualTo(Op(FilterOperator.Like, "*abc*"));
        await Assert.That(filter.IsLikeOperator).IsTrue();
        await Assert.That(((SingleValue)filter.Value).LikePattern).IsEqualTo("%abc%");
        await Assert.That(FilterOf("eq.*").IsLikeOperator).IsFalse();
    }

    [Test]
    public async Task Range_and_array_literals_are_kept_verbatim()
    {
        await Assert.That(FilterOf("cs.{1,2}")).IsEqualTo(Op(FilterOperator.Cs, "{1,2}"));
        await Assert.That(FilterOf("cd.{\"a b\",c}")).IsEqualTo(Op(FilterOperator.Cd, "{\"a b\",c}"));
        await Assert.That(FilterOf("ov.[1,5)")).IsEqualTo(Op(FilterOperator.Ov, "[1,5)"));
        await Assert.That(FilterOf("adj.(1,10]")).IsEqualTo(Op(FilterOperator.Adj, "(1,10]"));
    }

    [Test]
    public async Task Embedded_and_json_path_keys()
    {
        await Assert.That(Single("books.year=gt.2000")).IsEqualTo(new ScopedFilter(Path("books"), F("year"), Op(FilterOperator.Gt, "2000")));
        await Assert.That(Single("books.authors.name=eq.x")).IsEqualTo(new ScopedFilter(Path("books", "authors"), F("name"), Op(FilterOperator.Eq, "x")));
        await Assert.That(Single("meta->>lang=eq.en")).IsEqualTo(new ScopedFilter(Path(), F("meta", TextKey("lang")), Op(FilterOperator.Eq, "en")));
        await Assert.That(Single("books.meta->a->>0=eq.1")).IsEqualTo(new ScopedFilter(Path("books"), F("meta", Key("a"), Index("0", true)), Op(FilterOperator.Eq, "1")));
        await Assert.That(Single("%22my+col%22=eq.1")).IsEqualTo(new ScopedFilter(Path(), F("my col"), Op(FilterOperator.Eq, "1")));
    }

    [Test]
    public async Task Filters_keep_query_order_and_duplicates()
    {
        var filters = QueryStringParser.Parse("b=eq.1&a=lt.5&b=neq.3").Filters;
        await Assert.That(filters).IsEqualTo(L(
            new ScopedFilter(Path(), F("b"), Op(FilterOperator.Eq, "1")),
            new ScopedFilter(Path(), F("a"), Op(FilterOperator.Lt, "5")),
            new ScopedFilter(Path(), F("b"), Op(FilterOperator.Neq, "3"))));
    }

    [Test]
    public async Task Filters_keep_decoded_key_and_value()
    {
        var parsed = QueryStringParser.Parse("select=id&books.year=gt.2000&name=eq.a+b&order=id");
        await Assert.That(parsed.Filters).IsEqualTo(L(
            new ScopedFilter(Path("books"), F("year"), Op(FilterOperator.Gt, "2000")),
            new ScopedFilter(Path(), F("name"), Op(FilterOperator.Eq, "a b"))));
        await Assert.That(parsed.RpcArguments.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Unknown_operator_matches_postgrest_error()
    {
        var e = ParseError("id=0");
        await Assert.That(e.Error.Code).IsEqualTo("PGRST100");
        await Assert.That(e.Error.Status).IsEqualTo(400);
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse filter (0)\" (line 1, column 1)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"0\" expecting \"not\" or operator (eq, gt, ...)");

        e = ParseError("age=foo.1");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse filter (foo.1)\" (line 1, column 1)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"foo\" expecting \"not\" or operator (eq, gt, ...)");

        e = ParseError("age=not.foo.1");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse filter (not.foo.1)\" (line 1, column 5)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"foo\" expecting operator (eq, gt, ...)");
    }

    [Test]
    [Arguments("EQ.1")]
    [Arguments("eq")]
    [Arguments("eq1")]
    [Arguments("neq(any).1")]
    [Arguments("eq(foo).1")]
    [Arguments("eq().1")]
    [Arguments("fts().x")]
    [Arguments("in.1,2")]
    [Arguments("in.(1,2")]
    [Arguments("is.maybe")]
    [Arguments("is.")]
    [Arguments("is(any).null")]
    [Arguments("in(any).(1)")]
    [Arguments("not")]
    [Arguments("not.")]
    [Arguments("")]
    public async Task Malformed_filter_values_are_rejected(string value)
    {
        var e = ParseError("col=" + Uri.EscapeDataString(value));
        await Assert.That(e.Error.Message).StartsWith("\"failed to parse filter (" + value + ")\"");
    }

    [Test]
    public async Task Bad_filter_key_is_a_tree_path_error()
    {
        var e = ParseError("a..b=eq.1");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse tree path (a..b)\" (line 1, column 3)");
        e = ParseError("=eq.1");
        await Assert.That(e.Error.Message).StartsWith("\"failed to parse tree path ()\"");
    }

    [Test]
    public async Task Error_message_escapes_quotes_like_haskell_show()
    {
        var e = ParseError("col=in.(%22a");
        await Assert.That(e.Error.Message).StartsWith("\"failed to parse filter (in.(\\\"a)\"");
    }

    [Test]
    public async Task Text_after_a_complete_in_or_is_value_is_ignored_like_postgrest()
    {
        await Assert.That(FilterOf("in.(1)x")).IsEqualTo(In("1"));
        await Assert.That(FilterOf("is.nullx")).IsEqualTo(Is(IsKeyword.Null));
    }
}
