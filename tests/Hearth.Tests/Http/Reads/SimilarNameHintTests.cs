using System.Text.Json;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Reads.Api;

namespace Hearth.Tests.Http.Reads;

/// <summary>
/// PostgREST's "Perhaps you meant …" hints on a misspelt table (PGRST205), embed (PGRST200) and function or
/// argument list (PGRST202), on the shared fixture (authors/books, films/actors through film_actors,
/// chat_users/chat_messages, collections referencing itself, tasks without keys; functions channel_messages(channel), …).
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class SimilarNameHintTests(SharedHearth hearth)
{
    private async Task<string?> HintOf(string url, int status, string code)
    {
        var r = await Get(hearth.Http, url);
        using var json = JsonDocument.Parse(r.Body);
        await Assert.That($"{r.Code} {json.RootElement.GetProperty("code").GetString()}").IsEqualTo($"{status} {code}");
        return json.RootElement.GetProperty("hint").GetString();
    }

    [Test]
    public async Task A_misspelt_table_names_the_closest_table_of_the_schema()
    {
        await Assert.That((await Get(hearth.Http, "autors")).StatusAndJson).IsEqualTo(Expect(404,
            """
            {"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'public.authors'",
             "message":"Could not find the table 'public.autors' in the schema cache"}
            """));
        // books beats books_view and book_counts, which share as many trigrams but are further in edits.
        await Assert.That(await HintOf("book", 404, "PGRST205")).IsEqualTo("Perhaps you meant the table 'public.books'");
        await Assert.That(await HintOf("CHAT_USER", 404, "PGRST205")).IsEqualTo("Perhaps you meant the table 'public.chat_users'");
    }

    [Test]
    public async Task Writes_and_options_on_a_misspelt_table_carry_the_hint_too()
    {
        // The shared instance is read-only for anon, but the table is looked up first (PGRST205 before any grant check).
        foreach (var method in new[] { HttpMethod.Delete, HttpMethod.Options })
        {
            var r = await Send(hearth.Http, method, "chat_user?id=eq.1");
            await Assert.That(r.StatusAndJson).IsEqualTo(Expect(404,
                """
                {"code":"PGRST205","details":null,"hint":"Perhaps you meant the table 'public.chat_users'",
                 "message":"Could not find the table 'public.chat_user' in the schema cache"}
                """));
        }
    }

    [Test]
    public async Task A_table_hint_needs_a_close_name_and_stays_in_the_schema()
    {
        // Nothing within the 0.75 similarity PostgREST asks for table names.
        await Assert.That(await HintOf("xyzzy", 404, "PGRST205")).IsNull();
        await Assert.That(await HintOf("boks_and_more", 404, "PGRST205")).IsNull();
        // other.things exists, but the request is for public.
        await Assert.That(await HintOf("thing", 404, "PGRST205")).IsNull();
    }

    [Test]
    public async Task A_misspelt_embed_names_the_closest_related_table()
    {
        await Assert.That((await Get(hearth.Http, "books?select=id,autors(*)")).StatusAndJson).IsEqualTo(Expect(400,
            """
            {"code":"PGRST200","hint":"Perhaps you meant 'authors' instead of 'autors'.",
             "message":"Could not find a relationship between 'books' and 'autors' in the schema cache",
             "details":"Searched for a foreign key relationship between 'books' and 'autors' in the schema 'public', but no matches were found."}
            """));
        await Assert.That(await HintOf("chat_users?select=chat_mesages(*)", 400, "PGRST200"))
            .IsEqualTo("Perhaps you meant 'chat_messages' instead of 'chat_mesages'.");
        // Many-to-many targets count: films relate to actors through film_actors.
        await Assert.That(await HintOf("films?select=actor(*)", 400, "PGRST200")).IsEqualTo("Perhaps you meant 'actors' instead of 'actor'.");
        await Assert.That(await HintOf("collections?select=id,colections(*)", 400, "PGRST200"))
            .IsEqualTo("Perhaps you meant 'collections' instead of 'colections'.");
    }

    [Test]
    public async Task A_related_target_with_a_wrong_hint_gets_no_suggestion()
    {
        // The target is a related table, so the hint (!…) is what is wrong: PostgREST suggests nothing.
        await Assert.That(await HintOf("books?select=authors!nope(*)", 400, "PGRST200")).IsNull();
        await Assert.That(await HintOf("collections?select=collections!collections_parent_id_fkey(*)", 400, "PGRST200")).IsNull();
    }

    [Test]
    public async Task A_parent_without_relationships_is_compared_with_the_tables_that_have_some()
    {
        // tasks has no foreign keys either way, so PostgREST suggests another parent (books ends like tasks).
        await Assert.That(await HintOf("tasks?select=id,authors(*)", 400, "PGRST200")).IsEqualTo("Perhaps you meant 'books' instead of 'tasks'.");
        // secrets shares no trigram with a related table; among bigram matches users is the fewest edits (4 in 7).
        await Assert.That(await HintOf("secrets?select=id,authors(*)", 400, "PGRST200")).IsEqualTo("Perhaps you meant 'users' instead of 'secrets'.");
        // whoami shares not even a bigram with one.
        await Assert.That(await HintOf("whoami?select=authors(*)", 400, "PGRST200")).IsNull();
    }

    [Test]
    public async Task A_misspelt_embed_far_from_every_related_table_gets_no_suggestion()
    {
        await Assert.That(await HintOf("books?select=id,zzz(*)", 400, "PGRST200")).IsNull();
    }

    [Test]
    public async Task A_misspelt_function_names_the_closest_function_of_the_schema()
    {
        await Assert.That((await Get(hearth.Http, "rpc/channel_message?channel=1")).StatusAndJson).IsEqualTo(Expect(404,
            """
            {"code":"PGRST202","hint":"Perhaps you meant to call the function public.channel_messages",
             "message":"Could not find the function public.channel_message(channel) in the schema cache",
             "details":"Searched for the function public.channel_message with parameter channel, but no matches were found in the schema cache."}
            """));
        await Assert.That(await HintOf("rpc/zzz_nothing_like_it", 404, "PGRST202")).IsNull();
    }

    [Test]
    public async Task Wrong_arguments_name_the_closest_parameter_list()
    {
        await Assert.That(await HintOf("rpc/channel_messages?chanel=1", 404, "PGRST202"))
            .IsEqualTo("Perhaps you meant to call the function public.channel_messages(channel)");
        // No parameter list is close enough (the library's default 0.33): no hint.
        await Assert.That(await HintOf("rpc/channel_messages?zzzzzz=1", 404, "PGRST202")).IsNull();
    }
}
