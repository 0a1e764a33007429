using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>
/// A bare <c>count</c> is PostgreSQL's count(row) in PostgREST's SQL, not one of its aggregates: it works alone
/// in a level (without --db-aggregates-enabled), and next to anything else of that level it is PostgreSQL's
/// 42803 for the first other column PostgREST's SQL lists, which PostgREST passes on (shared instance:
/// aggregates off; fixture chat_users/chat_messages).
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class BareCountTests(SharedHearth hearth)
{
    private async Task<string> JsonOf(string url) => (await Get(hearth.Http, url)).StatusAndJson;

    private static string Ungrouped(string column) => Expect(400,
        $$"""{"code":"42803","details":null,"hint":null,"message":"column \"{{column}}\" must appear in the GROUP BY clause or be used in an aggregate function"}""");

    [Test]
    [Arguments("chat_users?select=username,chat_messages(id,count)", "chat_messages_1.id")]
    [Arguments("chat_users?select=username,chat_messages(count,message)", "chat_messages_1.message")]
    [Arguments("chat_messages?select=id,count", "chat_messages.id")]
    [Arguments("chat_messages?select=count,*", "chat_messages.id")]
    [Arguments("chat_messages?select=count,blurb_message", "chat_messages.*")]
    [Arguments("chat_messages?select=count&order=user_id", "chat_messages.user_id")]
    [Arguments("chat_users?select=count,chat_messages(id)", "chat_users_chat_messages_1.chat_users_chat_messages_1")]
    [Arguments("chat_messages?select=count,chat_users(id)", "chat_messages_chat_users_1.*")]
    public async Task Count_next_to_other_columns_of_its_level_is_42803(string url, string column)
    {
        await Assert.That(await JsonOf(url)).IsEqualTo(Ungrouped(column));
    }

    [Test]
    public async Task Count_alone_in_its_level_counts_with_a_cast_and_an_alias()
    {
        await Assert.That(await JsonOf("chat_messages?select=n:count::text")).IsEqualTo(Expect(200, """[{"n":"4"}]"""));
        await Assert.That(await JsonOf("chat_users?select=username,chat_messages(count)&chat_messages.channel_id=eq.1&order=id")).IsEqualTo(Expect(200,
            """[{"username":"supabot","chat_messages":[{"count":1}]},{"username":"kiwicopple","chat_messages":[{"count":1}]},{"username":"awailas","chat_messages":[{"count":1}]}]"""));
    }

    [Test]
    public async Task Count_with_parentheses_needs_aggregates_enabled_anywhere()
    {
        var disabled = Expect(400, """{"code":"PGRST123","details":null,"hint":null,"message":"Use of aggregate functions is not allowed"}""");
        await Assert.That(await JsonOf("chat_messages?select=count()")).IsEqualTo(disabled);
        await Assert.That(await JsonOf("chat_messages?select=user_id,count()")).IsEqualTo(disabled);
        await Assert.That(await JsonOf("chat_users?select=username,chat_messages(count())")).IsEqualTo(disabled);
        await Assert.That(await JsonOf("chat_users?select=username,chat_messages(id,count())")).IsEqualTo(disabled);
    }
}
