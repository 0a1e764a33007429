using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>
/// Computed fields (functions of a table's row returning a scalar) and computed relationships (functions of
/// a table's row returning rows of a table), and a bare <c>count</c> in an embed, as PostgREST serves them.
/// Fixture: 20240101000400_computed_and_embedding_rules.sql (channels 1 public, 2 random, 3 empty; messages
/// 1–4, three in channel 1; users supabot (messages 1, 2), kiwicopple (3), awailas (4)).
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class ComputedTests(SharedHearth hearth)
{
    private async Task<string> JsonOf(string url) => (await Get(hearth.Http, url)).StatusAndJson;

    [Test]
    public async Task A_computed_field_is_selected_by_name_and_aliased()
    {
        await Assert.That(await JsonOf("chat_messages?select=id,blurb_message&order=id&limit=2")).IsEqualTo(Expect(200,
            """[{"id":1,"blurb_message":"Hello"},{"id":2,"blurb_message":"Perfe"}]"""));
        await Assert.That(await JsonOf("chat_users?select=username,len:username_length::text&id=eq.2")).IsEqualTo(Expect(200,
            """[{"username":"kiwicopple","len":"10"}]"""));
    }

    [Test]
    public async Task Star_does_not_include_computed_fields()
    {
        await Assert.That(await JsonOf("chat_messages?select=*&id=eq.1")).IsEqualTo(Expect(200,
            """[{"id":1,"channel_id":1,"user_id":1,"message":"Hello World"}]"""));
        await Assert.That(await JsonOf("chat_messages?select=*,blurb_message&id=eq.1")).IsEqualTo(Expect(200,
            """[{"id":1,"channel_id":1,"user_id":1,"message":"Hello World","blurb_message":"Hello"}]"""));
    }

    [Test]
    public async Task A_computed_field_filters_and_orders()
    {
        await Assert.That((await Get(hearth.Http, "chat_messages?select=id&blurb_message=eq.Supab")).StatusAndIds).IsEqualTo(Ids(200, 3));
        await Assert.That((await Get(hearth.Http, "chat_messages?select=id&or=(blurb_message.like.H*,blurb_message.like.R*)&order=id")).StatusAndIds)
            .IsEqualTo(Ids(200, 1, 4));
        await Assert.That(await JsonOf("chat_users?select=username&order=username_length.desc,id.desc")).IsEqualTo(Expect(200,
            """[{"username":"kiwicopple"},{"username":"awailas"},{"username":"supabot"}]"""));
    }

    [Test]
    public async Task A_computed_field_inside_an_embed_with_its_filter()
    {
        await Assert.That(await JsonOf("chat_channels?select=slug,chat_messages(*,blurb_message)&id=eq.2")).IsEqualTo(Expect(200,
            """[{"slug":"random","chat_messages":[{"id":2,"channel_id":2,"user_id":1,"message":"Perfection is attained","blurb_message":"Perfe"}]}]"""));
        await Assert.That(await JsonOf("chat_channels?select=slug,chat_messages(id)&id=eq.1&chat_messages.blurb_message=eq.Realt")).IsEqualTo(Expect(200,
            """[{"slug":"public","chat_messages":[{"id":4}]}]"""));
    }

    [Test]
    public async Task A_computed_field_on_the_rows_of_a_function()
    {
        await Assert.That(await JsonOf("rpc/channel_messages?channel=1&select=id,blurb_message&blurb_message=neq.Hello&order=blurb_message")).IsEqualTo(Expect(200,
            """[{"id":4,"blurb_message":"Realt"},{"id":3,"blurb_message":"Supab"}]"""));
    }

    [Test]
    public async Task A_set_returning_computed_relationship_embeds_an_array()
    {
        await Assert.That(await JsonOf("chat_channels?select=id,all_messages:get_messages(id,user_id)&order=id&all_messages.order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"all_messages":[{"id":1,"user_id":1},{"id":3,"user_id":2},{"id":4,"user_id":3}]},{"id":2,"all_messages":[{"id":2,"user_id":1}]},{"id":3,"all_messages":[]}]"""));
    }

    [Test]
    public async Task A_computed_relationship_takes_filters_order_limit_and_inner()
    {
        await Assert.That(await JsonOf("chat_channels?select=id,get_messages(id)&get_messages.order=id.desc&get_messages.limit=1&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"get_messages":[{"id":4}]},{"id":2,"get_messages":[{"id":2}]},{"id":3,"get_messages":[]}]"""));
        await Assert.That(await JsonOf("chat_channels?select=id,get_messages!inner(id)&get_messages.user_id=eq.2")).IsEqualTo(Expect(200,
            """[{"id":1,"get_messages":[{"id":3}]}]"""));
        await Assert.That(await JsonOf("chat_channels?select=id,get_messages(id)&get_messages=not.is.null&get_messages.user_id=eq.1&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"get_messages":[{"id":1}]},{"id":2,"get_messages":[{"id":2}]}]"""));
    }

    [Test]
    public async Task A_single_row_computed_relationship_embeds_an_object()
    {
        // posted_in returns one chat_channels row (not setof); latest_message is setof … rows 1.
        await Assert.That(await JsonOf("chat_messages?select=id,posted_in(slug)&order=id&limit=2")).IsEqualTo(Expect(200,
            """[{"id":1,"posted_in":{"slug":"public"}},{"id":2,"posted_in":{"slug":"random"}}]"""));
        await Assert.That(await JsonOf("chat_users?select=username,latest_message(id)&order=id")).IsEqualTo(Expect(200,
            """[{"username":"supabot","latest_message":{"id":2}},{"username":"kiwicopple","latest_message":{"id":3}},{"username":"awailas","latest_message":{"id":4}}]"""));
    }

    [Test]
    public async Task A_to_one_computed_relationship_orders_filters_and_spreads()
    {
        await Assert.That((await Get(hearth.Http, "chat_messages?select=id,posted_in(slug)&order=posted_in(slug).desc,id")).StatusAndIds).IsEqualTo(Ids(200, 2, 1, 3, 4));
        await Assert.That(await JsonOf("chat_messages?select=id,posted_in!inner(slug)&posted_in.slug=eq.random")).IsEqualTo(Expect(200,
            """[{"id":2,"posted_in":{"slug":"random"}}]"""));
        await Assert.That(await JsonOf("chat_messages?select=id,...posted_in(slug)&id=eq.3")).IsEqualTo(Expect(200,
            """[{"id":3,"slug":"public"}]"""));
    }

    [Test]
    public async Task Computed_relationships_nest_and_mix_with_foreign_keys()
    {
        await Assert.That(await JsonOf("chat_users?select=username,latest_message(id,posted_in(slug,get_messages(id)),chat_users(username))&id=eq.2")).IsEqualTo(Expect(200,
            """[{"username":"kiwicopple","latest_message":{"id":3,"posted_in":{"slug":"public","get_messages":[{"id":1},{"id":3},{"id":4}]},"chat_users":{"username":"kiwicopple"}}}]"""));
    }

    [Test]
    public async Task A_computed_relationship_on_the_rows_of_a_function()
    {
        await Assert.That(await JsonOf("rpc/channel_messages?channel=2&select=id,posted_in(slug)")).IsEqualTo(Expect(200,
            """[{"id":2,"posted_in":{"slug":"random"}}]"""));
    }

    [Test]
    public async Task A_bare_count_in_an_embed_counts_its_rows_without_aggregates_enabled()
    {
        // The shared instance runs without --db-aggregates-enabled; count as a field is allowed there (PostgREST).
        await Assert.That(await JsonOf("chat_users?select=username,chat_messages(count)&order=id")).IsEqualTo(Expect(200,
            """[{"username":"supabot","chat_messages":[{"count":2}]},{"username":"kiwicopple","chat_messages":[{"count":1}]},{"username":"awailas","chat_messages":[{"count":1}]}]"""));
        await Assert.That(await JsonOf("chat_channels?select=slug,get_messages(count)&order=id")).IsEqualTo(Expect(200,
            """[{"slug":"public","get_messages":[{"count":3}]},{"slug":"random","get_messages":[{"count":1}]},{"slug":"empty","get_messages":[{"count":0}]}]"""));
        await Assert.That(await JsonOf("chat_messages?select=count")).IsEqualTo(Expect(200, """[{"count":4}]"""));
        await Assert.That((await Get(hearth.Http, "chat_messages?select=id.max()")).Code).IsEqualTo(400);
    }

    [Test]
    public async Task A_nested_bare_count_counts_the_to_one_row()
    {
        await Assert.That(await JsonOf("chat_channels?select=slug,chat_messages(chat_users(count))&order=id")).IsEqualTo(Expect(200,
            """[{"slug":"public","chat_messages":[{"chat_users":{"count":1}},{"chat_users":{"count":1}},{"chat_users":{"count":1}}]},{"slug":"random","chat_messages":[{"chat_users":{"count":1}}]},{"slug":"empty","chat_messages":[]}]"""));
    }
}
