using System.Text.Json;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>
/// PostgREST's rules for naming an embed: by foreign-key constraint, by key column (never reaching views),
/// self-references, duplicate embed names, and the relation names PostgreSQL errors mention.
/// Fixture: 20240101000400_computed_and_embedding_rules.sql (best_friends has three keys to chat_users, which
/// two views chat_users_a/_b also expose; collections references itself).
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class EmbeddingRulesTests(SharedHearth hearth)
{
    private async Task<string> JsonOf(string url) => (await Get(hearth.Http, url)).StatusAndJson;

    [Test]
    public async Task The_constraint_name_embeds_both_ways()
    {
        await Assert.That(await JsonOf("best_friends?select=id,first_friend:best_friends_first_user_fkey(username)&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"first_friend":{"username":"supabot"}},{"id":2,"first_friend":{"username":"kiwicopple"}}]"""));
        await Assert.That(await JsonOf("chat_users?select=id,first_friend_of:best_friends_first_user_fkey(id)&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"first_friend_of":[{"id":1}]},{"id":2,"first_friend_of":[{"id":2}]},{"id":3,"first_friend_of":[]}]"""));
    }

    [Test]
    public async Task The_key_column_embeds_the_table_not_the_views_over_it()
    {
        // The same key reaches chat_users_a and chat_users_b too; by column only the table counts (else 300).
        await Assert.That(await JsonOf("best_friends?select=id,third_wheel(username)&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"third_wheel":{"username":"awailas"}},{"id":2,"third_wheel":null}]"""));
    }

    [Test]
    public async Task A_view_is_still_reached_by_its_name_with_a_hint()
    {
        await Assert.That(await JsonOf("best_friends?select=id,chat_users_a!second_user(username)&id=eq.1")).IsEqualTo(Expect(200,
            """[{"id":1,"chat_users_a":{"username":"kiwicopple"}}]"""));
        await Assert.That(await JsonOf("best_friends?select=id,chat_users_b!best_friends_first_user_fkey(username)&id=eq.1")).IsEqualTo(Expect(200,
            """[{"id":1,"chat_users_b":{"username":"supabot"}}]"""));
    }

    [Test]
    public async Task An_ambiguous_embed_names_each_candidates_own_target_in_the_hint()
    {
        // By the referenced column, id reaches best_friends three times and chat_messages once.
        var r = await Get(hearth.Http, "chat_users?select=id(*)");
        await Assert.That(r.Code).IsEqualTo(300);
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That(json.RootElement.GetProperty("code").GetString()).IsEqualTo("PGRST201");
        await Assert.That(json.RootElement.GetProperty("hint").GetString()).IsEqualTo(
            "Try changing 'id' to one of the following: 'best_friends!best_friends_first_user_fkey', 'best_friends!best_friends_second_user_fkey', " +
            "'best_friends!best_friends_third_wheel_fkey', 'chat_messages!chat_messages_user_id_fkey'. Find the desired relationship in the 'details' key.");
        var embeddings = json.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("embedding").GetString()).ToArray();
        await Assert.That(string.Join("|", embeddings)).IsEqualTo(
            "chat_users with best_friends|chat_users with best_friends|chat_users with best_friends|chat_users with chat_messages");
    }

    [Test]
    public async Task Three_keys_to_one_view_are_ambiguous()
    {
        var r = await Get(hearth.Http, "best_friends?select=chat_users_a(*)");
        await Assert.That(r.Code).IsEqualTo(300);
        using var json = JsonDocument.Parse(r.Body);
        var details = json.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("relationship").GetString()).ToArray();
        await Assert.That(details).Contains("best_friends_third_wheel_fkey using best_friends(third_wheel) and chat_users_a(id)");
        await Assert.That(details.Length).IsEqualTo(3);
    }

    [Test]
    public async Task A_self_reference_reads_the_table_as_children_and_the_column_as_parent()
    {
        await Assert.That(await JsonOf("collections?select=id,collections(id)&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"collections":[{"id":2}]},{"id":2,"collections":[{"id":3}]},{"id":3,"collections":[]}]"""));
        await Assert.That(await JsonOf("collections?select=id,parent_id(name)&order=id")).IsEqualTo(Expect(200,
            """[{"id":1,"parent_id":null},{"id":2,"parent_id":{"name":"root"}},{"id":3,"parent_id":{"name":"child"}}]"""));
        await Assert.That(await JsonOf("collections?select=id,children:collections!parent_id(id)&id=eq.1")).IsEqualTo(Expect(200,
            """[{"id":1,"children":[{"id":2}]}]"""));
    }

    [Test]
    public async Task A_self_reference_hinted_by_its_constraint_is_not_found()
    {
        await Assert.That(await JsonOf("collections?select=id,collections!collections_parent_id_fkey(*)")).IsEqualTo(Expect(400,
            """
            {"code":"PGRST200","hint":null,
             "message":"Could not find a relationship between 'collections' and 'collections' in the schema cache",
             "details":"Searched for a foreign key relationship between 'collections' and 'collections' using the hint 'collections_parent_id_fkey' in the schema 'public', but no matches were found."}
            """));
    }

    [Test]
    [Arguments("best_friends?select=chat_users!first_user(*),chat_users!second_user(*)")]
    [Arguments("best_friends?select=id,chat_users!first_user(id),chat_users!second_user(id)")]
    [Arguments("best_friends?select=...chat_users!first_user(username),...chat_users!second_user(id)")]
    public async Task Two_embeds_under_one_name_are_42712(string url)
    {
        await Assert.That(await JsonOf(url)).IsEqualTo(Expect(400,
            """{"code":"42712","details":null,"hint":null,"message":"table name \"best_friends_chat_users_1\" specified more than once"}"""));
    }

    [Test]
    public async Task Two_embeds_of_one_table_under_different_names_are_fine()
    {
        await Assert.That(await JsonOf("best_friends?select=a:chat_users!first_user(id),b:chat_users!second_user(id)&id=eq.1")).IsEqualTo(Expect(200,
            """[{"a":{"id":1},"b":{"id":2}}]"""));
    }

    [Test]
    public async Task Unknown_columns_are_named_as_postgrest_aliases_the_relation()
    {
        // The root is the table itself; an embedded level is table_depth (many-to-many: the table).
        await Assert.That(await JsonOf("chat_messages?select=id,chat_channels(nope)")).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column chat_channels_1.nope does not exist"}"""));
        await Assert.That(await JsonOf("chat_users?select=id,chat_messages(id,chat_channels(sum))")).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column chat_channels_2.sum does not exist"}"""));
        await Assert.That(await JsonOf("chat_messages?select=nope")).IsEqualTo(Expect(400,
            """{"code":"42703","details":null,"hint":null,"message":"column chat_messages.nope does not exist"}"""));
    }
}
