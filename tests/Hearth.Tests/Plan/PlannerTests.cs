using Hearth.Plan;
using Hearth.Request;
using Hearth.Errors;
using Hearth.Schema;
using Hearth.Sql;

namespace Hearth.Tests.Plan;

/// <summary>The Plan and Sql stages on an in-memory schema: no database, no HTTP.</summary>
public class PlannerTests
{
    private static Column Col(string name, string type = "integer") => new(name, type, true, false, 0);

    private static readonly Relation Authors = new("public", "authors", RelationKind.Table, [Col("id"), Col("name", "text")], ["id"]);
    private static readonly Relation Books = new("public", "books", RelationKind.Table, [Col("id"), Col("title", "text"), Col("author_id"), Col("editor_id")], ["id"]);
    private static readonly Relation Films = new("public", "films", RelationKind.Table, [Col("id"), Col("title", "text")], ["id"]);
    private static readonly Relation Actors = new("public", "actors", RelationKind.Table, [Col("id"), Col("name", "text")], ["id"]);
    private static readonly Relation Roles = new("public", "roles", RelationKind.Table, [Col("film_id"), Col("actor_id")], ["film_id", "actor_id"]);
    private static readonly Relation Staff = new("public", "staff", RelationKind.Table, [Col("id"), Col("manager_id")], ["id"]);

    private static readonly SchemaModel Model = new(["public"], [Authors, Books, Films, Actors, Roles, Staff],
    [
        new ForeignKey("books_author_fkey", "public", "books", ["author_id"], "public", "authors", ["id"]),
        new ForeignKey("books_editor_fkey", "public", "books", ["editor_id"], "public", "authors", ["id"]),
        new ForeignKey("roles_film_fkey", "public", "roles", ["film_id"], "public", "films", ["id"]),
        new ForeignKey("roles_actor_fkey", "public", "roles", ["actor_id"], "public", "actors", ["id"]),
        new ForeignKey("staff_manager_fkey", "public", "staff", ["manager_id"], "public", "staff", ["id"]),
    ]);

    private static ReadPlan Plan(Relation root, string query, bool aggregates = false) =>
        ReadPlanner.Plan(Model, root, QueryStringParser.Parse(query), RowRange.All, new ReadPlanner.Options(aggregates));

    private static ApiError PlanError(Relation root, string query) =>
        Assert.Throws<ApiException>(() => Plan(root, query)).Error;

    [Test]
    public async Task A_foreign_key_in_the_parent_embeds_as_many_to_one()
    {
        var embed = Plan(Books, "select=title,author:authors!books_author_fkey(name)").Embeds.Single();
        await Assert.That(embed.Relationship.Cardinality).IsEqualTo(Cardinality.ManyToOne);
        await Assert.That(embed.OutputName).IsEqualTo("author");
        await Assert.That(embed.Relationship.ColumnPairs.Single()).IsEqualTo(("author_id", "id"));
    }

    [Test]
    public async Task Two_keys_to_the_same_table_are_ambiguous_without_a_hint()
    {
        var error = PlanError(Books, "select=*,authors(*)");
        await Assert.That(error.Code).IsEqualTo("PGRST201");
        await Assert.That(error.Status).IsEqualTo(300);
        await Assert.That(error.Hint!).Contains("'authors!books_author_fkey'");
        await Assert.That(error.DetailsText!).Contains("\"cardinality\":\"many-to-one\"");
    }

    [Test]
    public async Task A_column_hint_picks_one_of_two_keys()
    {
        var embed = Plan(Books, "select=*,authors!editor_id(*)").Embeds.Single();
        await Assert.That(embed.Relationship.Constraint).IsEqualTo("books_editor_fkey");
    }

    [Test]
    public async Task A_junction_table_whose_key_covers_both_foreign_keys_gives_many_to_many()
    {
        var embed = Plan(Films, "select=title,actors(name)").Embeds.Single();
        await Assert.That(embed.Relationship.Cardinality).IsEqualTo(Cardinality.ManyToMany);
        await Assert.That(embed.Relationship.Junction!.Table.Name).IsEqualTo("roles");
    }

    [Test]
    public async Task A_self_reference_by_table_name_is_the_children_and_by_column_the_parent()
    {
        await Assert.That(Plan(Staff, "select=id,staff(id)").Embeds.Single().Relationship.Cardinality).IsEqualTo(Cardinality.OneToMany);
        await Assert.That(Plan(Staff, "select=id,manager_id(id)").Embeds.Single().Relationship.Cardinality).IsEqualTo(Cardinality.ManyToOne);
    }

    [Test]
    public async Task Unknown_names_are_errors_of_the_plan_stage()
    {
        await Assert.That(PlanError(Books, "select=nope").Code).IsEqualTo("42703");
        await Assert.That(PlanError(Books, "nope=eq.1").Code).IsEqualTo("42703");
        await Assert.That(PlanError(Books, "select=*,publishers(*)").Code).IsEqualTo("PGRST200");
        await Assert.That(PlanError(Authors, "select=id&books.id=eq.1").Code).IsEqualTo("PGRST108");
        await Assert.That(PlanError(Books, "select=id.sum()").Code).IsEqualTo("PGRST123");
    }

    [Test]
    public async Task A_cast_that_is_not_a_type_of_the_database_never_reaches_sql()
    {
        // Casts are resolved against the schema cache's types; anything else is PostgreSQL's 42704, before any SQL.
        var query = QueryStringParser.Parse("") with { Select = ValueList<SelectItem>.Of(new FieldSelect(new Field("id"), Cast: "int); delete from books; --")) };
        var error = Assert.Throws<ApiException>(() => ReadPlanner.Plan(Model, Books, query, RowRange.All, new(false))).Error;
        await Assert.That(error.Code).IsEqualTo("42704");
        await Assert.That(error.Status).IsEqualTo(400);
    }

    [Test]
    public async Task Casts_are_written_as_sql_keywords_or_quoted_catalog_names()
    {
        var model = new SchemaModel(["public"], [Books], []) { Types = new TypeCatalog([("pg_catalog", "int4"), ("public", "mood")], ["public"]) };
        var query = QueryStringParser.Parse("select=a:id::double   PRECISION,b:id::int4,c:title::mood");
        var sql = ReadSql.Build(ReadPlanner.Plan(model, Books, query, RowRange.All, new(false)), MediaType.Json, exactCount: false).Text;
        await Assert.That(sql).Contains("(\"t0\".\"id\")::double precision as \"a\"");
        await Assert.That(sql).Contains("(\"t0\".\"id\")::\"pg_catalog\".\"int4\" as \"b\"");
        await Assert.That(sql).Contains("(\"t0\".\"title\")::\"public\".\"mood\" as \"c\"");
    }

    [Test]
    public async Task Embedded_filters_order_and_limit_land_on_the_embedded_level()
    {
        var plan = Plan(Authors, "select=name,books!books_author_fkey(title)&books.id=gt.2&books.order=id.desc&books.limit=1");
        var child = plan.Embeds.Single().Child;
        await Assert.That(plan.Conditions.Count).IsEqualTo(0);
        await Assert.That(child.Conditions.Count).IsEqualTo(1);
        await Assert.That(child.Order.Single().Descending == true).IsTrue();
        await Assert.That(child.Limit).IsEqualTo(1L);
    }

    [Test]
    public async Task Sql_carries_every_value_as_a_parameter_and_quotes_identifiers()
    {
        var statement = ReadSql.Build(Plan(Books, "select=title&title=eq.Robert')%3B drop table books%3B--&id=in.(1,2)"), MediaType.Json, exactCount: false);
        await Assert.That(statement.Text).DoesNotContain("drop table");
        await Assert.That(statement.Text).Contains("\"t0\".\"title\" = $1");
        await Assert.That(statement.Parameters.Select(p => p.Value)).Contains("Robert'); drop table books;--");
        await Assert.That(statement.Parameters.Select(p => p.Value)).Contains("{\"1\",\"2\"}");
    }

    [Test]
    public async Task Requests_of_the_same_shape_produce_the_same_sql_text()
    {
        var a = ValueExtraction.Extract(QueryStringParser.Parse("select=title&id=eq.1&title=like.A*"));
        var b = ValueExtraction.Extract(QueryStringParser.Parse("select=title&id=eq.42&title=like.Z*"));
        await Assert.That(a.Shape).IsEqualTo(b.Shape);
        var template = ReadSql.Build(ReadPlanner.Plan(Model, Books, a.Shape, RowRange.All, new(false)), MediaType.Json, false);
        var bound = template.Bind(new RequestValues(b.Values));
        await Assert.That(bound.Parameters.Select(p => p.Value)).IsEquivalentTo(new object?[] { "42", "Z%" });
    }

    [Test]
    public async Task Limits_are_numbers_in_the_text_so_postgresql_plans_for_them_and_offsets_stay_parameters()
    {
        // limit $1 would be planned for 10% of the table, so PostgreSQL re-planned every execution; offsets
        // vary page by page and must not make a new statement each.
        var statement = ReadSql.Build(Plan(Authors, "select=name,books!books_author_fkey(title)&books.limit=3&books.offset=7&limit=20&offset=40"),
            MediaType.Json, exactCount: false);
        await Assert.That(statement.Text).Contains(" limit 20 offset $");
        await Assert.That(statement.Text).Contains(" limit 3 offset $");
        await Assert.That(statement.Parameters.Select(p => p.Value)).Contains(40L);
        await Assert.That(statement.Parameters.Select(p => p.Value)).Contains(7L);
        await Assert.That(statement.Parameters.Select(p => p.Value)).DoesNotContain(20L);
        await Assert.That(statement.Parameters.Select(p => p.Value)).DoesNotContain(3L);
    }
}
