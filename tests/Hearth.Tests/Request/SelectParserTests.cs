using Hearth.Request;
using static Hearth.Tests.Request.Ast;

namespace Hearth.Tests.Request;

public class SelectParserTests
{
    private static IReadOnlyList<SelectItem> Select(string value) => QueryStringParser.Parse("select=" + value).Select;

    [Test]
    public async Task Absent_or_empty_select_is_an_empty_list()
    {
        await Assert.That(QueryStringParser.Parse("").Select.Count).IsEqualTo(0);
        await Assert.That(QueryStringParser.Parse("id=eq.1").Select.Count).IsEqualTo(0);
        await Assert.That(Select("").Count).IsEqualTo(0);
        // A valueless "select" is ignored like any key without '='.
        await Assert.That(QueryStringParser.Parse("select").Select.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Star_and_plain_columns()
    {
        await Assert.That(Select("*")).IsEqualTo(L<SelectItem>(new StarSelect()));
        await Assert.That(Select("id,name")).IsEqualTo(L<SelectItem>(Col("id"), Col("name")));
        await Assert.That(Select("*,id")).IsEqualTo(L<SelectItem>(new StarSelect(), Col("id")));
    }

    [Test]
    public async Task Spaces_around_items_and_commas_are_allowed()
    {
        await Assert.That(Select(" id , name ")).IsEqualTo(L<SelectItem>(Col("id"), Col("name")));
        await Assert.That(Select("id,+name")).IsEqualTo(L<SelectItem>(Col("id"), Col("name")));
        await Assert.That(Select("id, clients ( id )")).IsEqualTo(L<SelectItem>(Col("id"), Embed("clients", Col("id"))));
    }

    [Test]
    public async Task Alias_and_cast()
    {
        await Assert.That(Select("fullName:full_name")).IsEqualTo(L<SelectItem>(Col("full_name", alias: "fullName")));
        await Assert.That(Select("salary::text")).IsEqualTo(L<SelectItem>(Col("salary", cast: "text")));
        await Assert.That(Select("s:salary::numeric")).IsEqualTo(L<SelectItem>(Col("salary", "s", "numeric")));
    }

    [Test]
    public async Task Identifiers_with_dashes_spaces_digits_and_dollars()
    {
        await Assert.That(Select("first-name,$x,123,_a")).IsEqualTo(L<SelectItem>(Col("first-name"), Col("$x"), Col("123"), Col("_a")));
        await Assert.That(Select("identifier with spaces")).IsEqualTo(L<SelectItem>(Col("identifier with spaces")));
        await Assert.That(Select("naïve,名前")).IsEqualTo(L<SelectItem>(Col("naïve"), Col("名前")));
    }

    [Test]
    public async Task Quoted_identifiers_keep_any_character()
    {
        await Assert.That(Select("\"my col\",\"a,b\",\"x:y\"")).IsEqualTo(L<SelectItem>(Col("my col"), Col("a,b"), Col("x:y")));
        await Assert.That(Select("al:\"quoted \\\" col\"")).IsEqualTo(L<SelectItem>(Col("quoted \" col", alias: "al")));
        await Assert.That(Select("\" padded \"")).IsEqualTo(L<SelectItem>(Col(" padded ")));
    }

    [Test]
    public async Task Json_paths_with_keys_and_indexes()
    {
        var items = Select("meta->a->>b,data->0->a->>2,neg->-1");
        await Assert.That(items).IsEqualTo(L<SelectItem>(
            new FieldSelect(F("meta", Key("a"), TextKey("b"))),
            new FieldSelect(F("data", Index("0"), Key("a"), Index("2", asText: true))),
            new FieldSelect(F("neg", Index("-1")))));
    }

    [Test]
    public async Task Json_keys_may_contain_reserved_url_characters_and_quotes()
    {
        var items = Select("data->!@%23$%25^%26*_a->\"b.c\"::int");
        await Assert.That(items).IsEqualTo(L<SelectItem>(
            new FieldSelect(F("data", Key("!@#$%^&*_a"), Key("b.c")), Cast: "int")));
        // A numeric key that is not followed by the end of the field is an object key.
        await Assert.That(Select("data->5x")).IsEqualTo(L<SelectItem>(new FieldSelect(F("data", Key("5x")))));
    }

    [Test]
    public async Task Json_index_inside_an_embed_is_still_an_index()
    {
        var items = Select("rel(data->0)");
        await Assert.That(items).IsEqualTo(L<SelectItem>(Embed("rel", new FieldSelect(F("data", Index("0"))))));
    }

    [Test]
    public async Task Output_names_follow_postgrest()
    {
        var items = Select("meta->a->>b,data->0,data->a->1,x:meta->a,amount.sum(),c:amount.sum(),plain,p::text,count()")
            .Cast<FieldSelect>().Select(f => f.OutputName).ToArray();
        await Assert.That(items).IsEquivalentTo(new[] { "b", "data", "a", "x", "sum", "c", "plain", "p", "count" });
    }

    [Test]
    public async Task Embedded_resources_with_alias_hint_and_join_type()
    {
        var items = Select("clients(id),c:clients(*),clients!fk(*),clients!inner(*),clients!left(*),clients!fk!inner(*),a:clients!inner!fk(*)");
        await Assert.That(items).IsEqualTo(L<SelectItem>(
            Embed("clients", Col("id")),
            new EmbedSelect("clients", "c", null, null, false, L<SelectItem>(new StarSelect())),
            new EmbedSelect("clients", null, "fk", null, false, L<SelectItem>(new StarSelect())),
            new EmbedSelect("clients", null, null, JoinType.Inner, false, L<SelectItem>(new StarSelect())),
            new EmbedSelect("clients", null, null, JoinType.Left, false, L<SelectItem>(new StarSelect())),
            new EmbedSelect("clients", null, "fk", JoinType.Inner, false, L<SelectItem>(new StarSelect())),
            new EmbedSelect("clients", "a", "fk", JoinType.Inner, false, L<SelectItem>(new StarSelect()))));
    }

    [Test]
    public async Task Hints_that_start_like_join_types_are_hints()
    {
        var items = Select("clients!left_fk(*),clients!\"inner\"(*)");
        await Assert.That(items).IsEqualTo(L<SelectItem>(
            new EmbedSelect("clients", null, "left_fk", null, false, L<SelectItem>(new StarSelect())),
            new EmbedSelect("clients", null, "inner", null, false, L<SelectItem>(new StarSelect()))));
    }

    [Test]
    public async Task Spread_embeds()
    {
        var items = Select("*,...client(name),...owner!fk!inner(id,n:name)");
        await Assert.That(items).IsEqualTo(L<SelectItem>(
            new StarSelect(),
            new EmbedSelect("client", null, null, null, true, L<SelectItem>(Col("name"))),
            new EmbedSelect("owner", null, "fk", JoinType.Inner, true, L<SelectItem>(Col("id"), Col("name", alias: "n")))));
    }

    [Test]
    public async Task Nested_and_empty_embeds()
    {
        await Assert.That(Select("a(b(c(*)),d)")).IsEqualTo(L<SelectItem>(
            Embed("a", Embed("b", Embed("c", new StarSelect())), Col("d"))));
        await Assert.That(Select("rel()")).IsEqualTo(L<SelectItem>(Embed("rel")));
    }

    [Test]
    public async Task Aggregates()
    {
        var items = Select("count(),n:count()::int,amount.sum(),amount.avg()::int,total:amount.max(),v::numeric.min(),id.count()");
        await Assert.That(items).IsEqualTo(L<SelectItem>(
            new FieldSelect(F("*"), null, null, AggregateFunction.Count),
            new FieldSelect(F("*"), "n", null, AggregateFunction.Count, "int"),
            new FieldSelect(F("amount"), null, null, AggregateFunction.Sum),
            new FieldSelect(F("amount"), null, null, AggregateFunction.Avg, "int"),
            new FieldSelect(F("amount"), "total", null, AggregateFunction.Max),
            new FieldSelect(F("v"), null, "numeric", AggregateFunction.Min),
            new FieldSelect(F("id"), null, null, AggregateFunction.Count)));
        await Assert.That(((FieldSelect)items[0]).IsCountStar).IsTrue();
        await Assert.That(((FieldSelect)items[6]).IsCountStar).IsFalse();
    }

    [Test]
    public async Task Aggregates_inside_embeds()
    {
        await Assert.That(Select("orders(amount.sum(),count())")).IsEqualTo(L<SelectItem>(
            Embed("orders", new FieldSelect(F("amount"), null, null, AggregateFunction.Sum),
                new FieldSelect(F("*"), null, null, AggregateFunction.Count))));
    }

    [Test]
    public async Task A_column_named_count_is_a_column_but_count_with_arguments_is_an_error()
    {
        await Assert.That(Select("count")).IsEqualTo(L<SelectItem>(Col("count")));
        var error = ParseError("select=count(*)");
        await Assert.That(error.Error.Code).IsEqualTo("PGRST100");
    }

    [Test]
    public async Task Text_after_a_complete_select_is_ignored_like_postgrest()
    {
        await Assert.That(Select("id)junk")).IsEqualTo(L<SelectItem>(Col("id")));
    }

    [Test]
    public async Task Select_errors_name_the_parameter_and_position()
    {
        var e = ParseError("select=data->>--34");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse select parameter (data->>--34)\" (line 1, column 9)");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected \"-\" expecting digit");
        await Assert.That(e.Error.Status).IsEqualTo(400);

        e = ParseError("select=data->(x");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse select parameter (data->(x)\" (line 1, column 7)");
        await Assert.That(e.Error.DetailsText!).Contains("unexpected \"(\"");

        e = ParseError("select=id,clients(name[])");
        await Assert.That(e.Error.Message).IsEqualTo("\"failed to parse select parameter (id,clients(name[]))\" (line 1, column 16)");
        await Assert.That(e.Error.DetailsText!).StartsWith("unexpected '['");

        e = ParseError("select=name::");
        await Assert.That(e.Error.DetailsText).IsEqualTo("unexpected end of input expecting letter or digit");

        e = ParseError("select=data->>-78xy");
        await Assert.That(e.Error.Message).EndsWith("(line 1, column 11)");
    }

    [Test]
    public async Task Malformed_selects_are_rejected()
    {
        foreach (var bad in new[] { "id,", "*!hint", "name!hint", "a(b", "...rel", "alias:...rel(*)", "rel->x(*)", ":a", "a:", "a.sum(", "a!b!c!d(*)" })
        {
            var e = ParseError("select=" + Uri.EscapeDataString(bad));
            await Assert.That(e.Error.Message).StartsWith("\"failed to parse select parameter (");
        }
    }

    [Test]
    public async Task Too_deep_nesting_is_a_parse_error_not_a_crash()
    {
        var deep = string.Concat(Enumerable.Repeat("a(", 5000)) + "*" + new string(')', 5000);
        var e = ParseError("select=" + deep);
        await Assert.That(e.Error.Code).IsEqualTo("PGRST100");
        var ok = string.Concat(Enumerable.Repeat("a(", 60)) + "*" + new string(')', 60);
        await Assert.That(QueryStringParser.Parse("select=" + ok).Select.Count).IsEqualTo(1);
    }
}
