using Hearth.Errors;
using Hearth.Plan;
using Hearth.Request;
using Hearth.Schema;
using Hearth.Sql;

namespace Hearth.Tests.Plan;

/// <summary>Computed fields and relationships, bare count and embed names in the Plan and Sql stages (no database).</summary>
public class ComputedPlannerTests
{
    private static Column Col(string name, string type = "integer") => new(name, type, true, false, 0);

    private static readonly Relation Channels = new("public", "channels", RelationKind.Table, [Col("id"), Col("slug", "text")], ["id"]);
    private static readonly Relation Messages = new("public", "messages", RelationKind.Table, [Col("id"), Col("channel_id"), Col("body", "text")], ["id"]);
    private static readonly Relation MessagesView = new("public", "messages_view", RelationKind.View, [Col("id"), Col("channel_id"), Col("body", "text")], []);

    private static Routine Fn(string name, Relation argument, string returns, bool set, Relation? table, double rows = 1000) =>
        new("public", name, [new RoutineParam("", argument.Name, false, false)], returns, set, Volatility.Stable, table?.Columns, table)
        {
            RowArgument = argument,
            EstimatedRows = rows,
        };

    private static readonly SchemaModel Model = new(["public"], [Channels, Messages, MessagesView],
        [
            new ForeignKey("messages_channel_id_fkey", "public", "messages", ["channel_id"], "public", "channels", ["id"]),
            new ForeignKey("messages_channel_id_fkey", "public", "messages_view", ["channel_id"], "public", "channels", ["id"]),
        ],
        [
            Fn("blurb", Messages, "text", set: false, table: null),
            Fn("all_messages", Channels, "messages", set: true, table: Messages),
            Fn("first_message", Channels, "messages", set: true, table: Messages, rows: 1),
            Fn("channel_of", Messages, "channels", set: false, table: Channels),
        ]);

    private static ReadPlan Plan(Relation root, string query, bool aggregates = false) =>
        ReadPlanner.Plan(Model, root, QueryStringParser.Parse(query), RowRange.All, new ReadPlanner.Options(aggregates));

    private static string Sql(Relation root, string query) => ReadSql.Build(Plan(root, query), MediaType.Json, exactCount: false).Text;

    private static ApiError PlanError(Relation root, string query) => Assert.Throws<ApiException>(() => Plan(root, query)).Error;

    [Test]
    public async Task A_computed_field_is_its_function_called_on_the_row()
    {
        var sql = Sql(Messages, "select=id,blurb&blurb=eq.x&order=blurb");
        await Assert.That(sql).Contains("\"public\".\"blurb\"(\"t0\".*) as \"blurb\"");
        await Assert.That(sql).Contains("where \"public\".\"blurb\"(\"t0\".*) = $");
        await Assert.That(sql).Contains("order by \"public\".\"blurb\"(\"t0\".*)");
    }

    [Test]
    public async Task Star_leaves_computed_fields_out()
    {
        var plan = Plan(Messages, "select=*");
        await Assert.That(Sql(Messages, "select=*")).DoesNotContain("blurb");
        await Assert.That(plan.Items.Single()).IsTypeOf<StarItem>();
    }

    [Test]
    public async Task A_set_returning_function_of_the_row_is_a_to_many_embed_over_the_call()
    {
        var embed = Plan(Channels, "select=id,all_messages(id)").Embeds.Single();
        await Assert.That(embed.ToOne).IsFalse();
        await Assert.That(embed.Relationship.Function!.Name).IsEqualTo("all_messages");
        await Assert.That(embed.Relationship.Child).IsEqualTo(Messages);
        await Assert.That(Sql(Channels, "select=id,all_messages(id)")).Contains("from \"public\".\"all_messages\"(\"t0\".*) as \"t1\"");
    }

    [Test]
    public async Task A_single_row_or_rows_1_function_is_a_to_one_embed()
    {
        await Assert.That(Plan(Messages, "select=channel_of(slug)").Embeds.Single().ToOne).IsTrue();
        await Assert.That(Plan(Channels, "select=first_message(id)").Embeds.Single().ToOne).IsTrue();
    }

    [Test]
    public async Task A_bare_count_is_count_star_even_without_aggregates()
    {
        var item = (ColumnItem)Plan(Channels, "select=messages(count)").Embeds.Single().Child.Items.Single();
        await Assert.That(item.Aggregate).IsEqualTo(AggregateFunction.Count);
        await Assert.That(item.Expr).IsNull();
        await Assert.That(item.OutputName).IsEqualTo("count");
        await Assert.That(PlanError(Channels, "select=messages(id.count())").Code).IsEqualTo("PGRST123");
    }

    [Test]
    public async Task The_constraint_or_key_column_reaches_the_table_but_not_a_view()
    {
        // messages_view carries the same key; by its name the table alone matches.
        await Assert.That(Plan(Channels, "select=messages_channel_id_fkey(id)").Embeds.Single().Relationship.Child).IsEqualTo(Messages);
        await Assert.That(Plan(Messages, "select=channel_id(id)").Embeds.Single().Relationship.Child).IsEqualTo(Channels);
        await Assert.That(Plan(Channels, "select=messages_view(id)").Embeds.Single().Relationship.Child).IsEqualTo(MessagesView);
    }

    [Test]
    public async Task Two_embeds_of_one_name_are_42712_with_postgrests_subquery_name()
    {
        var error = PlanError(Channels, "select=messages!channel_id(id),messages!messages_channel_id_fkey(id)");
        await Assert.That(error.Code).IsEqualTo("42712");
        await Assert.That(error.Message).IsEqualTo("table name \"channels_messages_1\" specified more than once");
    }

    [Test]
    public async Task Unknown_columns_of_embeds_name_the_relation_as_table_and_depth()
    {
        await Assert.That(PlanError(Channels, "select=messages(nope)").Message).IsEqualTo("column messages_1.nope does not exist");
        await Assert.That(PlanError(Channels, "select=nope").Message).IsEqualTo("column channels.nope does not exist");
    }

    [Test]
    public async Task A_function_named_like_a_related_table_makes_the_embed_ambiguous()
    {
        var model = new SchemaModel(["public"], [Channels, Messages],
            [new ForeignKey("messages_channel_id_fkey", "public", "messages", ["channel_id"], "public", "channels", ["id"])],
            [Fn("messages", Channels, "messages", set: true, table: Messages)]);
        var error = Assert.Throws<ApiException>(() =>
            ReadPlanner.Plan(model, Channels, QueryStringParser.Parse("select=messages(id)"), RowRange.All, new ReadPlanner.Options(false))).Error;
        await Assert.That(error.Code).IsEqualTo("PGRST201");
        await Assert.That(error.DetailsText!).Contains("{}");
        await Assert.That(error.Hint!).IsEqualTo("Try changing 'messages' to one of the following: 'messages!messages_channel_id_fkey'. Find the desired relationship in the 'details' key.");
    }
}
