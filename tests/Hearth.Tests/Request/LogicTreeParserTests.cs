using Hearth.Request;
using static Hearth.Tests.Request.Ast;

namespace Hearth.Tests.Request;

public class LogicTreeParserTests
{
    private static ScopedLogic Single(string query)
    {
        var trees = QueryStringParser.Parse(query).LogicTrees;
        if (trees.Count != 1) throw new InvalidOperationException($"expected one tree, got {trees.Count}");
        return trees[0];
    }

    [Test]
    public async Task Or_and_and_at_the_root()
    {
        await Assert.That(Single("or=(a.eq.1,b.gt.2)")).IsEqualTo(new ScopedLogic(Path(),
            Or(Leaf("a", Op(FilterOperator.Eq, "1")), Leaf("b", Op(FilterOperator.Gt, "2")))));
        await Assert.That(Single("and=(a.eq.1)")).IsEqualTo(new ScopedLogic(Path(), And(Leaf("a", Op(FilterOperator.Eq, "1")))));
    }

    [Test]
    public async Task Nested_trees()
    {
        var tree = Single("or=(a.eq.1,and(b.gt.2,c.lt.3),not.or(d.is.null,e.in.(1,2)))").Tree;
        await Assert.That(tree).IsEqualTo(Or(
            Leaf("a", Op(FilterOperator.Eq, "1")),
            And(Leaf("b", Op(FilterOperator.Gt, "2")), Leaf("c", Op(FilterOperator.Lt, "3"))),
            new LogicTree(true, true, L<LogicNode>(Leaf("d", Is(IsKeyword.Null)), Leaf("e", In("1", "2")))))); 
    }

    [Test]
    public async Task Negated_keys()
    {
        await Assert.That(Single("not.or=(a.eq.1,b.eq.2)")).IsEqualTo(new ScopedLogic(Path(),
            new LogicTree(true, true, L<LogicNode>(Leaf("a", Op(FilterOperator.Eq, "1")), Leaf("b", Op(FilterOperator.Eq, "2"))))));
        await Assert.That(Single("not.and=(a.eq.1)")).IsEqualTo(new ScopedLogic(Path(),
            new LogicTree(false, true, L<LogicNode>(Leaf("a", Op(FilterOperator.Eq, "1"))))));
    }

    [Test]
    public async Task Embedded_keys()
    {
        await Assert.That(Single("books.or=(id.eq.1,id.eq.2)")).IsEqualTo(new ScopedLogic(Path("books"),
            Or(Leaf("id", Op(FilterOperator.Eq, "1")), Leaf("id", Op(FilterOperator.Eq, "2")))));
        await Assert.That(Single("books.authors.not.and=(id.eq.1)")).IsEqualTo(new ScopedLogic(Path("books", "authors"),
            new LogicTree(false, true, L<LogicNode>(Leaf("id", Op(FilterOperator.Eq, "1"))))));
    }

    [Test]
    public async Task Negated_leaves_and_every_operator_family()
    {
        var tree = Single("or=(a.not.eq.1,b.fts(english).cat,c.eq(any).{1,2},d.is.NOT_NULL,e.like.*x*,f.isdistinct.5)").Tree;
        await Assert.That(tree).IsEqualTo(Or(
            Leaf("a", Op(FilterOperator.Eq, "1", negated: true)),
            Leaf("b", Op(FilterOperator.Fts, "cat", language: "english")),
            Leaf("c", Op(FilterOperator.Eq, "{1,2}", quantifier: Quantifier.Any)),
            Leaf("d", Is(IsKeyword.NotNull)),
            Leaf("e", Op(FilterOperator.Like, "*x*")),
            Leaf("f", Op(FilterOperator.IsDistinct, "5"))));
    }

    [Test]
    public async Task Quoted_values_hold_commas_and_parentheses()
    {
        var tree = Single("or=(a.eq.\"x,y)\",b.eq.\"say \\\"hi\\\"\",c.eq.plain)").Tree;
        await Assert.That(tree).IsEqualTo(Or(
            Leaf("a", Op(FilterOperator.Eq, "x,y)")),
            Leaf("b", Op(FilterOperator.Eq, "say \"hi\"")),
            Leaf("c", Op(FilterOperator.Eq, "plain"))));
    }

    [Test]
    public async Task In_lists_inside_trees_accept_quoted_items()
    {
        var tree = Single("or=(a.in.(\"x,y\",z),b.not.in.())").Tree;
        await Assert.That(tree).IsEqualTo(Or(
            Leaf("a", In("x,y", "z")),
            Leaf("b", new Filter(true, FilterOperator.In, null, null, new ListValue(L(""))))));
    }

    [Test]
    public async Task Array_literals_are_kept_whole_inside_trees()
    {
        var tree = Single("and=(tags.cs.{a,b},tags.ov.{c})").Tree;
        await Assert.That(tree).IsEqualTo(And(Leaf("tags", Op(FilterOperator.Cs, "{a,b}")), Leaf("tags", Op(FilterOperator.Ov, "{c}"))));
    }

    [Test]
    public async Task Json_path_fields_and_spaces()
    {
        var tree = Single("or=(+data->>a.eq.1+,+b.gt.2+)").Tree;
        await Assert.That(tree).IsEqualTo(Or(
            new FilterLeaf(F("data", TextKey("a")), Op(FilterOperator.Eq, "1 ")),
            Leaf("b", Op(FilterOperator.Gt, "2 "))));
    }

    [Test]
    public async Task Columns_named_like_keywords_are_filters()
    {
        var tree = Single("or=(or.eq.1,and.eq.2,not.eq.3)").Tree;
        await Assert.That(tree).IsEqualTo(Or(
            Leaf("or", Op(FilterOperator.Eq, "1")), Leaf("and", Op(FilterOperator.Eq, "2")), Leaf("not", Op(FilterOperator.Eq, "3"))));
    }

    [Test]
    public async Task Multiple_trees_keep_their_order()
    {
        var trees = QueryStringParser.Parse("or=(a.eq.1)&books.and=(b.eq.2)&or=(c.eq.3)").LogicTrees;
        await Assert.That(trees.Select(t => string.Join(".", t.EmbedPath) + ":" + t.Tree.IsOr).ToArray())
            .IsEquivalentTo(new[] { ":True", "books:False", ":True" });
    }

    [Test]
    public async Task Empty_tree_matches_postgrest_error()
    {
        var e = ParseError("or=()");
        await Assert.That(e.Error.Code).IsEqualTo("PGRST100");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse logic tree (())\" (line 1, column 4)");
        await Assert.That(e.Error.DetailsText).IsEqualTo(
            "unexpected \")\" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)");
    }

    [Test]
    public async Task Unknown_nested_logic_operator()
    {
        var e = ParseError("or=(id.eq.1,not.xor(id.eq.2,id.eq.3))");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse logic tree ((id.eq.1,not.xor(id.eq.2,id.eq.3)))\" (line 1, column 16)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"x\" expecting logic operator (and, or)");
    }

    [Test]
    [Arguments("or=(id.in.1,2,id.eq.3)")]
    [Arguments("and=(ord(id.eq.1,id.eq.1),id.eq.2)")]
    [Arguments("or=)(")]
    [Arguments("or=(a.eq.1")]
    [Arguments("or=(a.eq.1,)")]
    [Arguments("or=(a.foo.1)")]
    [Arguments("or=(a.is.nullx)")]
    [Arguments("or=a.eq.1")]
    [Arguments("or=")]
    [Arguments("a..or=(a.eq.1)")]
    public async Task Malformed_trees_are_rejected(string query)
    {
        var e = ParseError(query);
        await Assert.That(e.Error.Message).Contains("failed to parse logic");
    }

    [Test]
    public async Task Unterminated_quote_falls_back_to_raw_text()
    {
        // Like PostgREST: a quote that does not close before ',' or ')' is an ordinary character.
        var tree = Single("or=(a.eq.\"x,b.eq.2)").Tree;
        await Assert.That(tree).IsEqualTo(Or(Leaf("a", Op(FilterOperator.Eq, "\"x")), Leaf("b", Op(FilterOperator.Eq, "2"))));
        tree = Single("or=(a.eq.\"x\"y)").Tree;
        await Assert.That(tree).IsEqualTo(Or(Leaf("a", Op(FilterOperator.Eq, "\"x\"y"))));
    }

    [Test]
    public async Task Too_deep_nesting_is_a_parse_error_not_a_crash()
    {
        var deep = "or=" + string.Concat(Enumerable.Repeat("(a.eq.1,or", 3000)) + "(a.eq.1" + new string(')', 3001);
        var e = ParseError(deep);
        await Assert.That(e.Error.Code).IsEqualTo("PGRST100");
    }
}
