using Hearth.Request;
using Hearth.Sql;

namespace Hearth.Tests.Request;

/// <summary>Value extraction: operands out of the query, formatted once for SQL, the shape left with parameter references.</summary>
public class ValueExtractionTests
{
    private static ExtractedQuery Extract(string query) => ValueExtraction.Extract(QueryStringParser.Parse(query));

    /// <summary>Order-sensitive, readable comparison of a sequence.</summary>
    private static string Seq<T>(IEnumerable<T> items) => string.Join(" | ", items.Select(i => i?.ToString() ?? "null"));

    [Test]
    public async Task Operands_become_parameter_references_in_query_order()
    {
        var e = Extract("a=eq.1&b=gt.2&c=is.null");
        await Assert.That(Seq(e.Values)).IsEqualTo(Seq(["1", "2"]));
        var values = e.Shape.Filters.Select(f => f.Filter.Value).ToList();
        await Assert.That(values[0]).IsEqualTo(new ParamValue(0));
        await Assert.That(values[1]).IsEqualTo(new ParamValue(1));
        await Assert.That(values[2]).IsEqualTo(new IsValue(IsKeyword.Null)); // is.* is part of the shape
    }

    [Test]
    public async Task Every_operand_keeps_its_own_index_past_the_shared_references()
    {
        // The first few ParamValues are shared instances; later ones are made per request: both must number alike.
        var e = Extract(string.Join("&", Enumerable.Range(0, 20).Select(i => $"c{i}=eq.v{i}")));
        await Assert.That(Seq(e.Values)).IsEqualTo(Seq(Enumerable.Range(0, 20).Select(i => $"v{i}")));
        await Assert.That(Seq(e.Shape.Filters.Select(f => ((ParamValue)f.Filter.Value).Index))).IsEqualTo(Seq(Enumerable.Range(0, 20)));
    }

    [Test]
    [Arguments("a=eq.1&b=gt.2&c=is.null")]
    [Arguments("a=like.*x*&b=ilike(any).{A*,*b}&c=eq.*&d=in.(1,\"b,c\")&e=in.()")]
    [Arguments("a=fts(english).cat&b=fts.dog&c=not.wfts(simple).x&books.id=eq.7")]
    [Arguments("or=(a.eq.1,and(b.lt.2,c.like.*z))&books.id=eq.7&d=fts(english).e")]
    [Arguments("select=id&order=id&limit=3")]
    public async Task Values_alone_are_the_values_extraction_numbers(string query)
    {
        // A cached request takes only its values; they must be the ones, in the order, its shape refers to.
        var parsed = QueryStringParser.Parse(query);
        await Assert.That(Seq(ValueExtraction.Values(parsed))).IsEqualTo(Seq(ValueExtraction.Extract(parsed).Values));
    }

    [Test]
    public async Task Like_operands_are_patterns_and_other_operators_keep_stars()
    {
        var e = Extract("a=like.*x*&b=ilike(any).{A*,*b}&c=eq.*");
        await Assert.That(Seq(e.Values)).IsEqualTo(Seq(["%x%", "{A%,%b}", "*"]));
    }

    [Test]
    public async Task In_lists_are_array_literals_with_quoting_and_the_empty_list_matches_nothing()
    {
        var e = Extract("a=in.(1,\"b,c\",\"q\\\"uote\")&b=in.()");
        await Assert.That(Seq(e.Values)).IsEqualTo(Seq(["{\"1\",\"b,c\",\"q\\\"uote\"}", "{}"]));
    }

    [Test]
    public async Task The_fts_language_is_a_value_of_its_own()
    {
        var e = Extract("a=fts(english).cat&b=fts.dog");
        await Assert.That(Seq(e.Values)).IsEqualTo(Seq(["cat", "english", "dog"]));
        await Assert.That(e.Shape.Filters[0].Filter.Value).IsEqualTo(new ParamValue(0, 1));
        await Assert.That(e.Shape.Filters[0].Filter.Language).IsNull();
        await Assert.That(e.Shape.Filters[1].Filter.Value).IsEqualTo(new ParamValue(2));
    }

    [Test]
    public async Task Logic_tree_leaves_and_embedded_filters_are_extracted_too()
    {
        var e = Extract("or=(a.eq.1,and(b.lt.2,c.like.*z))&books.id=eq.7");
        await Assert.That(Seq(e.Values)).IsEqualTo(Seq(["7", "1", "2", "%z"]));
    }

    [Test]
    public async Task Requests_differing_only_in_values_have_equal_shapes_whatever_the_values_contain()
    {
        // Control characters once used as slot markers are ordinary values now.
        var a = Extract("select=id&a=eq.1&b=in.(x,y)&or=(c.eq.%01)");
        var b = Extract("select=id&a=eq.%010%01&b=in.(%01)&or=(c.eq.z)");
        await Assert.That(a.Shape).IsEqualTo(b.Shape);
        await Assert.That(a.Shape.GetHashCode()).IsEqualTo(b.Shape.GetHashCode());
        await Assert.That(b.Values[0]).IsEqualTo("\u00010\u0001");
        await Assert.That(Extract("a=eq.1").Shape).IsNotEqualTo(Extract("a=neq.1").Shape);
        await Assert.That(Extract("a=fts.x").Shape).IsNotEqualTo(Extract("a=fts(simple).x").Shape);
    }

    [Test]
    public async Task Binding_fills_operands_untyped_and_the_payload_typed_and_leaves_constants()
    {
        var w = new SqlWriter();
        w.Raw("select ").Param("k").Raw(", ").RequestValue(1).Raw(", ").Payload().Raw(", ").RequestValue(0);
        var template = w.ToStatement();
        var bound = template.Bind(new RequestValues(["first", "second"], "{\"a\":1}"));
        await Assert.That(bound.Text).IsEqualTo(template.Text);
        await Assert.That(Seq(bound.Parameters.Select(p => p.Value))).IsEqualTo(Seq(["k", "second", "{\"a\":1}", "first"]));
        await Assert.That(Seq(bound.Parameters.Select(p => p.Untyped))).IsEqualTo(Seq([false, true, false, true]));
        await Assert.That(bound.Parameters.All(p => p.Source == ParamSource.Constant)).IsTrue();
    }
}
