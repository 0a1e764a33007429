using Hearth.Errors;
using Hearth.Request;

namespace Hearth.Tests.Request;

/// <summary>
/// The query cache keys a request by its shape key instead of its tree, so a key shared by two different shapes
/// would run one request with another's SQL. Equal keys must mean equal shapes (values taken out); requests that
/// differ only in values must share a key, or the cache would never hit.
/// </summary>
public class QueryShapeKeyTests
{
    private static QueryParams Parse(string query) => QueryStringParser.Parse(query);

    private static QueryParams Shape(string query) => ValueExtraction.Extract(Parse(query)).Shape;

    [Test]
    [Arguments("id=eq.1", "id=eq.2")]
    [Arguments("id=eq.42&select=id,name", "id=eq.%2Bx&select=id,name")]
    [Arguments("a=in.(1,2,3)&b=in.()", "a=in.(\"x,y\")&b=in.(4)")]
    [Arguments("t=fts(english).cat", "t=fts(english).dog")]
    [Arguments("n=not.like(any).{a*,b*}&order=id.desc&limit=20&offset=40", "n=not.like(any).{c}&order=id.desc&limit=20&offset=40")]
    [Arguments("books.title=ilike.*x*&books.limit=2&columns=a,b&on_conflict=a", "books.title=ilike.y&books.limit=2&columns=a,b&on_conflict=a")]
    public async Task Requests_differing_only_in_operands_share_a_key(string a, string b)
    {
        await Assert.That(Parse(a).ShapeKey).IsNotNull();
        await Assert.That(Parse(a).ShapeKey).IsEqualTo(Parse(b).ShapeKey);
        await Assert.That(Shape(a)).IsEqualTo(Shape(b));
    }

    [Test]
    [Arguments("id=eq.1", "id=neq.1")]
    [Arguments("id=eq.1", "id=not.eq.1")]
    [Arguments("id=eq.1", "id=eq(any).1")]
    [Arguments("id=eq(any).1", "id=eq(all).1")]
    [Arguments("t=fts.cat", "t=fts(english).cat")]
    [Arguments("id=is.null", "id=is.true")]
    [Arguments("id=in.(1)", "id=eq.(1)")]
    [Arguments("id=eq.1", "ID=eq.1")]
    [Arguments("a=eq.1&b=eq.2", "b=eq.1&a=eq.2")]
    [Arguments("limit=20", "limit=21")]
    [Arguments("offset=20", "offset=21")]
    [Arguments("limit=20", "books.limit=20")]
    [Arguments("select=id", "select=id,name")]
    [Arguments("select=id", "columns=id")]
    [Arguments("select", "select=")]
    [Arguments("order=id", "order=id.desc")]
    [Arguments("a->b=eq.1", "a->>b=eq.1")]
    public async Task Different_shapes_get_different_keys(string a, string b)
    {
        await Assert.That(Parse(a).ShapeKey).IsNotEqualTo(Parse(b).ShapeKey);
    }

    [Test]
    public async Task Logic_trees_and_function_reads_are_keyed_by_their_tree()
    {
        await Assert.That(Parse("or=(a.eq.1,b.eq.2)&id=eq.1").ShapeKey).IsNull();
        await Assert.That(Parse("not.and=(a.eq.1)").ShapeKey).IsNull();
        await Assert.That(QueryStringParser.Parse("x=1&id=eq.1", isRpcRead: true).ShapeKey).IsNull();
        await Assert.That(Parse("").ShapeKey).IsNotNull();
    }

    [Test]
    public async Task The_key_is_not_part_of_a_querys_equality()
    {
        // limit=5 and limit= 5 are one shape with two keys: trees stay comparable whatever the key.
        await Assert.That(Parse("limit=5").ShapeKey).IsNotEqualTo(Parse("limit= 5").ShapeKey);
        await Assert.That(Parse("limit=5")).IsEqualTo(Parse("limit= 5"));
        await Assert.That(Parse("limit=5").GetHashCode()).IsEqualTo(Parse("limit= 5").GetHashCode());
    }

    /// <summary>
    /// Random queries built from parts with random operands: every group of queries that share a key must share
    /// one shape. The parts cover every kind of thing a key holds; operands are drawn from texts that look like
    /// operators, lists, keywords and separators, so a key that let an operand decide the shape would split.
    /// </summary>
    [Test]
    public async Task Queries_with_equal_keys_have_equal_shapes()
    {
        string[] keys = ["id", "ID", "name", "books.title", "books.authors.name", "meta->>lang", "meta->a", "data->0", "not", "x"];
        string[] operators =
        [
            "eq.", "neq.", "gt.", "gte.", "lt.", "lte.", "like.", "ilike.", "match.", "imatch.", "isdistinct.",
            "cs.", "cd.", "ov.", "sl.", "sr.", "nxr.", "nxl.", "adj.", "fts.", "plfts.", "phfts.", "wfts.",
            "fts(english).", "wfts(simple).", "eq(any).", "like(all).", "not.eq.", "not.in.", "not.fts(french).", "in.", "is.",
        ];
        string[] operands = ["1", "", "null", "true", "(1,2)", "()", "(\"a,b\",c)", "{1,2}", "eq.1", "not.x", "a,b", "*x*", "%2B", "é", ")", "(", "UNKNOWN", "not_null"];
        string[] others =
        [
            "select=id", "select=id,name", "select=*,books(*)", "select", "order=id", "order=id.desc", "books.order=title",
            "limit=5", "limit= 5", "limit=6", "offset=10", "books.limit=2", "books.offset=1", "columns=a,b", "on_conflict=id",
        ];
        var random = new Random(20261201);
        // A few hundred query skeletons (operands still open), each filled with many random operands.
        var skeletons = new List<List<string>>();
        for (var i = 0; i < 400; i++)
        {
            var parts = new List<string>();
            for (var n = random.Next(0, 3); n > 0; n--) parts.Add(others[random.Next(others.Length)]);
            for (var n = random.Next(1, 4); n > 0; n--) parts.Add(keys[random.Next(keys.Length)] + "=" + operators[random.Next(operators.Length)] + "\0");
            skeletons.Add(parts.OrderBy(_ => random.Next()).ToList());
        }
        var shapesByKey = new Dictionary<string, (string Query, QueryParams Shape)>();
        int parsed = 0, shared = 0;
        var mismatches = new List<string>();
        for (var i = 0; i < 30000; i++)
        {
            var query = string.Join("&", skeletons[random.Next(skeletons.Count)].Select(p => p.Replace("\0", operands[random.Next(operands.Length)])));
            QueryParams tree;
            try
            {
                tree = Parse(query);
            }
            catch (ApiException)
            {
                continue; // not a valid query: nothing is cached for it
            }
            parsed++;
            var shape = ValueExtraction.Extract(tree).Shape;
            if (shapesByKey.TryGetValue(tree.ShapeKey!, out var first))
            {
                shared++;
                if (!first.Shape.Equals(shape)) mismatches.Add($"{first.Query}  vs  {query}");
            }
            else shapesByKey[tree.ShapeKey!] = (query, shape);
        }
        await Assert.That(mismatches).IsEmpty();
        // Not vacuous: most queries parsed, and many met an earlier query's key.
        await Assert.That(parsed).IsGreaterThan(10000);
        await Assert.That(shared).IsGreaterThan(5000);
    }
}
