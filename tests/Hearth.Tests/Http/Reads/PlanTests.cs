using System.Text.Json;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>The application/vnd.pgrst.plan media type (needs --db-plan-enabled, so a private instance).</summary>
[ClassDataSource<FeaturesHearth>(Shared = SharedType.PerClass)]
public class PlanTests(FeaturesHearth hearth)
{
    [Test]
    [Arguments("application/vnd.pgrst.plan")]
    [Arguments("application/vnd.pgrst.plan+text")]
    public async Task Text_plan_is_the_default_format(string accept)
    {
        var r = await Get(hearth.Http, "books?id=in.(1,2,3)", ("Accept", accept));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.ContentType).IsEqualTo("application/vnd.pgrst.plan+text; for=\"application/json\"; charset=utf-8");
        await Assert.That(r.Body).StartsWith("Aggregate");
    }

    [Test]
    public async Task Json_plan_has_the_total_cost()
    {
        var r = await Get(hearth.Http, "books?id=in.(1,2,3)", ("Accept", "application/vnd.pgrst.plan+json"));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.ContentType).IsEqualTo("application/vnd.pgrst.plan+json; for=\"application/json\"; charset=utf-8");
        using var json = JsonDocument.Parse(r.Body);
        var plan = json.RootElement[0].GetProperty("Plan");
        await Assert.That(plan.GetProperty("Node Type").GetString()).IsEqualTo("Aggregate");
        await Assert.That(plan.GetProperty("Total Cost").GetDouble()).IsGreaterThan(0);
    }

    [Test]
    public async Task Plan_for_another_media_type_names_it()
    {
        var r = await Get(hearth.Http, "books", ("Accept", "application/vnd.pgrst.plan+json; for=\"text/csv\""));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.ContentType).IsEqualTo("application/vnd.pgrst.plan+json; for=\"text/csv\"; charset=utf-8");
    }

    [Test]
    public async Task Plan_with_options_lists_them_in_the_content_type()
    {
        var r = await Get(hearth.Http, "books", ("Accept", "application/vnd.pgrst.plan+json; options=verbose"));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.ContentType).IsEqualTo("application/vnd.pgrst.plan+json; for=\"application/json\"; options=verbose; charset=utf-8");
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That(json.RootElement[0].GetProperty("Plan").TryGetProperty("Output", out _)).IsTrue();
    }

    [Test]
    public async Task Plan_of_a_request_with_embeds_and_filters()
    {
        var r = await Get(hearth.Http, "authors?select=name,books(title)&books.year=gt.1965&id=eq.1", ("Accept", "application/vnd.pgrst.plan"));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.Body).Contains("books");
    }

    [Test]
    public async Task Plan_errors_are_still_errors()
    {
        var r = await Get(hearth.Http, "books?select=nope", ("Accept", "application/vnd.pgrst.plan"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column books.nope does not exist"}"""));
    }

    [Test]
    public async Task Aggregates_and_plan_are_both_on_here()
    {
        var r = await Get(hearth.Http, "books?select=author_id,count()", ("Accept", "application/vnd.pgrst.plan+json"));
        await Assert.That(r.Code).IsEqualTo(200);
    }
}
