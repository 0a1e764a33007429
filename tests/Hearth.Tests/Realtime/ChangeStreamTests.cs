using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Infrastructure.CanonicalJson;

namespace Hearth.Tests.Realtime;

/// <summary>Change streams: GET /table?filters with Accept: text/event-stream, server-sent events under the caller's RLS.</summary>
[ClassDataSource<RealtimeHearth>(Shared = SharedType.PerTestSession)]
public class ChangeStreamTests(RealtimeHearth hearth)
{
    internal sealed record Sse(string? Id, string Event, JsonElement Data);

    /// <summary>An open stream; events are parsed as they arrive.</summary>
    internal sealed class Stream : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly CancellationTokenSource _cts = new();
        private readonly Channel<Sse> _events = Channel.CreateUnbounded<Sse>();
        public HttpResponseMessage Response { get; private set; } = null!;

        /// <summary>The last id the stream sent (with or without an event), as EventSource keeps it for Last-Event-ID.</summary>
        public string? LastId { get; private set; }

        public static async Task<Stream> OpenAsync(Uri url, params (string Name, string Value)[] headers)
        {
            var s = new Stream();
            var req = new HttpRequestMessage(HttpMethod.Get, url);
            req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            foreach (var (n, v) in headers) req.Headers.TryAddWithoutValidation(n, v);
            s.Response = await s._http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
            if (s.Response.IsSuccessStatusCode) _ = s.ReadAsync();
            return s;
        }

        private async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await Response.Content.ReadAsStreamAsync(_cts.Token));
                string? id = null, ev = null, data = null;
                while (await reader.ReadLineAsync(_cts.Token) is { } line)
                {
                    if (line.Length == 0)
                    {
                        if (id is not null) LastId = id;
                        if (ev is not null && data is not null) await _events.Writer.WriteAsync(new Sse(id, ev, JsonDocument.Parse(data).RootElement.Clone()));
                        id = ev = data = null;
                    }
                    else if (line.StartsWith("id: ")) id = line[4..];
                    else if (line.StartsWith("event: ")) ev = line[7..];
                    else if (line.StartsWith("data: ")) data = line[6..];
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException) { }
            finally { _events.Writer.TryComplete(); }
        }

        /// <summary>The next event, skipping DELETEs of other rows (a DELETE the filters cannot be checked on goes to every stream).</summary>
        public async Task<Sse> NextAsync(int? deletedId = null, TimeSpan? timeout = null)
        {
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                if (e.Event != "DELETE" || e.Data.GetProperty("old_record").GetProperty("id").GetInt32() == deletedId) return e;
            }
        }

        public async Task<List<Sse>> DrainAsync(TimeSpan wait)
        {
            await Task.Delay(wait);
            var list = new List<Sse>();
            while (_events.Reader.TryRead(out var e)) list.Add(e);
            return list;
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            Response?.Dispose();
            _http.Dispose();
        }
    }

    private Uri Url(string path) => new(hearth.Process.BaseUrl, path);

    private static async Task<Sse> NextOfAsync(Stream stream, int id, string kind = "INSERT")
    {
        while (true)
        {
            var e = await stream.NextAsync(deletedId: id);
            if (e.Event == kind && e.Data.GetProperty(kind == "DELETE" ? "old_record" : "record").GetProperty("id").GetInt32() == id) return e;
        }
    }

    [Test]
    public async Task A_stream_resumed_with_Last_Event_ID_gets_what_it_missed_once_and_in_order_then_goes_on_live()
    {
        await using var keeper = await Stream.OpenAsync(Url("items?label=like.resume*"));
        var first = await Stream.OpenAsync(Url("items?label=like.resume*"));
        await Db.ExecAsync(hearth.Sql, "insert into items values (3201, 'resume a', 1, false)");
        var a = await first.NextAsync();
        await first.DisposeAsync();
        // While it is away: two matching rows and one that is not.
        await Db.ExecAsync(hearth.Sql, "insert into items values (3202, 'resume b', 2, false)");
        await Db.ExecAsync(hearth.Sql, "insert into items values (3203, 'other', 3, false)");
        await Db.ExecAsync(hearth.Sql, "insert into items values (3204, 'resume c', 4, false)");
        await NextOfAsync(keeper, 3204); // the feed has read them

        await using var resumed = await Stream.OpenAsync(Url("items?label=like.resume*"), ("Last-Event-ID", a.Id!));
        var b = await resumed.NextAsync();
        var c = await resumed.NextAsync();
        await Db.ExecAsync(hearth.Sql, "insert into items values (3205, 'resume d', 5, false)");
        var d = await resumed.NextAsync();
        var rest = (await resumed.DrainAsync(TimeSpan.FromSeconds(1))).Where(e => e.Event != "DELETE").ToList();
        using var _ = Assert.Multiple();
        await Assert.That(a.Data.GetProperty("record").GetProperty("id").GetInt32()).IsEqualTo(3201);
        await Assert.That(string.Join(", ", new[] { b, c, d }.Select(e => e.Event + " " + e.Data.GetProperty("record").GetProperty("id").GetInt32())))
            .IsEqualTo("INSERT 3202, INSERT 3204, INSERT 3205");
        await Assert.That(string.CompareOrdinal(b.Id, a.Id)).IsGreaterThan(0);
        await Assert.That(string.CompareOrdinal(c.Id, b.Id)).IsGreaterThan(0);
        await Assert.That(string.CompareOrdinal(d.Id, c.Id)).IsGreaterThan(0);
        await Assert.That(rest).IsEmpty();
    }

    [Test]
    public async Task A_stream_that_saw_no_event_resumes_from_where_it_started()
    {
        await using var keeper = await Stream.OpenAsync(Url("items?label=like.quiet*"));
        var first = await Stream.OpenAsync(Url("items?label=like.quiet*"));
        for (var i = 0; i < 50 && first.LastId is null; i++) await Task.Delay(100);
        var start = first.LastId;
        await first.DisposeAsync();
        await Db.ExecAsync(hearth.Sql, "insert into items values (3251, 'quiet one', 1, false)");
        await NextOfAsync(keeper, 3251);

        await using var resumed = await Stream.OpenAsync(Url("items?label=like.quiet*"), ("Last-Event-ID", start!));
        var missed = await resumed.NextAsync();
        using var _ = Assert.Multiple();
        await Assert.That(start).IsNotNull();
        await Assert.That(missed.Event).IsEqualTo("INSERT");
        await Assert.That(missed.Data.GetProperty("record").GetProperty("id").GetInt32()).IsEqualTo(3251);
    }

    [Test]
    [Arguments("0000000000000001-00000000", 3261)]
    [Arguments("FFFFFFFFFFFFFFFF-00000000", 3262)]
    [Arguments("not-a-position", 3263)]
    public async Task A_stream_asked_to_resume_from_an_unknown_position_is_told_to_reload_and_goes_on(string lastEventId, int row)
    {
        await using var stream = await Stream.OpenAsync(Url($"items?id=eq.{row}"), ("Last-Event-ID", lastEventId));
        var reload = await stream.NextAsync();
        await Db.ExecAsync(hearth.Sql, $"insert into items values ({row}, 'unknown', 1, false)");
        var live = await stream.NextAsync();
        using var _ = Assert.Multiple();
        await Assert.That(reload.Event).IsEqualTo("reload");
        await Assert.That(reload.Data.GetProperty("last_event_id").GetString()).IsEqualTo(lastEventId);
        await Assert.That(reload.Id).IsNotNull();
        await Assert.That(live.Event).IsEqualTo("INSERT");
        await Assert.That(string.CompareOrdinal(live.Id, reload.Id)).IsGreaterThan(0);
    }

    [Test]
    public async Task A_DELETE_reaches_only_streams_whose_filters_its_old_row_passes()
    {
        await using var stream = await Stream.OpenAsync(Url("items?label=like.delkeep*"));
        await Db.ExecAsync(hearth.Sql, "insert into items values (3301, 'delkeep', 1, false), (3302, 'delother', 2, false)");
        await NextOfAsync(stream, 3301);
        await Db.ExecAsync(hearth.Sql, "delete from items where id in (3301, 3302)");
        var deleted = await NextOfAsync(stream, 3301, "DELETE");
        var later = await stream.DrainAsync(TimeSpan.FromSeconds(1));
        using var _ = Assert.Multiple();
        await Assert.That(deleted.Data.GetProperty("old_record").GetProperty("label").GetString()).IsEqualTo("delkeep");
        // Under replica identity full every DELETE is filtered: none of another label arrives, this test's or others'.
        await Assert.That(later.Where(e => e.Event == "DELETE" && !e.Data.GetProperty("old_record").GetProperty("label").GetString()!.StartsWith("delkeep"))).IsEmpty();
    }

    [Test]
    public async Task A_DELETE_whose_old_row_lacks_a_filtered_column_is_sent_with_the_key_only()
    {
        // notes: replica identity default and RLS, so a DELETE carries the key only; the filter on owner cannot be checked.
        var apikey = ("apikey", Jwt.For("anon"));
        await using var stream = await Stream.OpenAsync(Url("rest/v1/notes?owner=eq.frank"), apikey, ("Authorization", "Bearer " + Jwt.For("authenticated", "frank")));
        await Db.ExecAsync(hearth.Sql, "insert into notes (id, owner, body) values (3311, 'gina', 'hers')");
        await Db.ExecAsync(hearth.Sql, "delete from notes where id = 3311");
        var deleted = await NextOfAsync(stream, 3311, "DELETE");
        await Assert.That(deleted.Data.GetProperty("old_record").GetRawText()).IsEqualTo("""{"id":3311}""");
    }

    [Test]
    public async Task A_filtered_stream_sends_inserts_updates_and_deletes_of_matching_rows_with_resumable_ids()
    {
        await using var stream = await Stream.OpenAsync(Url("items?label=like.sse*"));
        using var _ = Assert.Multiple();
        await Assert.That(stream.Response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(stream.Response.Content.Headers.ContentType!.MediaType).IsEqualTo("text/event-stream");
        // One at a time: a stream reads the row as it is when the change arrives (a row already deleted sends only its DELETE).
        await Db.ExecAsync(hearth.Sql, "insert into items values (3001, 'other', 1, false), (3002, 'sse one', 2, false)");
        var insert = await stream.NextAsync();
        await Assert.That(insert.Event).IsEqualTo("INSERT");
        await Assert.That(insert.Id).IsNotNull();
        await Assert.That(Canon(insert.Data.GetProperty("record").GetRawText())).IsEqualTo(Canon("""{"id":3002,"label":"sse one","price":2,"done":false}"""));
        await Assert.That(insert.Data.GetProperty("table").GetString()).IsEqualTo("items");
        await Db.ExecAsync(hearth.Sql, "update items set price = 3 where id = 3002");
        var update = await stream.NextAsync();
        await Assert.That(update.Event).IsEqualTo("UPDATE");
        await Assert.That(update.Data.GetProperty("record").GetProperty("price").GetDecimal()).IsEqualTo(3m);
        await Assert.That(update.Data.GetProperty("old_record").GetProperty("price").GetDecimal()).IsEqualTo(2m);
        await Db.ExecAsync(hearth.Sql, "delete from items where id = 3002");
        var delete = await stream.NextAsync(deletedId: 3002);
        await Assert.That(delete.Event).IsEqualTo("DELETE");
        await Assert.That(delete.Data.GetProperty("old_record").GetProperty("id").GetInt32()).IsEqualTo(3002);
        await Assert.That(string.CompareOrdinal(update.Id, insert.Id)).IsGreaterThan(0);
    }

    [Test]
    public async Task Under_rest_v1_a_stream_runs_as_the_token_with_RLS_and_select()
    {
        var apikey = ("apikey", Jwt.For("anon"));
        await using var alice = await Stream.OpenAsync(Url("rest/v1/notes?select=id,body"), apikey, ("Authorization", "Bearer " + Jwt.For("authenticated", "dave")));
        await Assert.That(alice.Response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Db.ExecAsync(hearth.Sql, "insert into notes (id, owner, body) values (3101, 'erin', 'not yours'), (3102, 'dave', 'yours')");
        var got = await alice.NextAsync();
        using var _ = Assert.Multiple();
        await Assert.That(got.Data.GetProperty("record").GetRawText()).IsEqualTo("""{"id":3102,"body":"yours"}""");
        await Assert.That((await alice.DrainAsync(TimeSpan.FromSeconds(1))).Where(e => e.Event != "DELETE")).IsEmpty();
    }

    [Test]
    public async Task Bad_requests_get_the_rest_api_errors_before_any_stream()
    {
        using var _ = Assert.Multiple();
        await using (var missing = await Stream.OpenAsync(Url("no_such_table")))
        {
            await Assert.That(missing.Response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
            await Assert.That(await missing.Response.Content.ReadAsStringAsync()).Contains("PGRST205");
        }
        await using (var column = await Stream.OpenAsync(Url("items?nope=eq.1")))
            await Assert.That(column.Response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await using (var token = await Stream.OpenAsync(Url("items"), ("Authorization", "Bearer not.a.jwt")))
            await Assert.That(token.Response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await using (var denied = await Stream.OpenAsync(Url("notes")))
            await Assert.That((int)denied.Response.StatusCode).IsGreaterThanOrEqualTo(200); // anon may open it, and sees nothing
    }
}

/// <summary>Change streams on a Hearth that keeps changes for resuming only 2 seconds.</summary>
[ClassDataSource<ShortRetentionRealtimeHearth>(Shared = SharedType.PerTestSession)]
public class ChangeStreamRetentionTests(ShortRetentionRealtimeHearth hearth)
{
    [Test]
    [Arguments("soon")]
    [Arguments("5 minutes")]
    [Arguments("-1s")]
    public async Task A_retention_that_is_not_a_duration_is_a_usage_error(string value)
    {
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--realtime-sse-retention", value]);
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n')).HasCount(1);
        await Assert.That(stderr).Contains("--realtime-sse-retention");
    }

    [Test]
    public async Task A_stream_resumed_after_the_retention_window_is_told_to_reload_instead_of_missing_changes()
    {
        var url = new Uri(hearth.Process.BaseUrl, "items?label=like.window*");
        await using var keeper = await ChangeStreamTests.Stream.OpenAsync(url);
        var first = await ChangeStreamTests.Stream.OpenAsync(url);
        await Db.ExecAsync(hearth.Sql, "insert into items values (3401, 'window a', 1, false)");
        var a = await first.NextAsync();
        await first.DisposeAsync();
        await Db.ExecAsync(hearth.Sql, "insert into items values (3402, 'window b', 2, false)");
        await keeper.NextAsync();
        var b = await keeper.NextAsync(); // read by the feed, then kept for 2 s only
        await Task.Delay(TimeSpan.FromSeconds(3));

        await using var resumed = await ChangeStreamTests.Stream.OpenAsync(url, ("Last-Event-ID", a.Id!));
        var reload = await resumed.NextAsync();
        await Db.ExecAsync(hearth.Sql, "insert into items values (3403, 'window c', 3, false)");
        var live = await resumed.NextAsync();
        using var _ = Assert.Multiple();
        await Assert.That(b.Data.GetProperty("record").GetProperty("id").GetInt32()).IsEqualTo(3402);
        await Assert.That(reload.Event).IsEqualTo("reload");
        await Assert.That(live.Event).IsEqualTo("INSERT");
        await Assert.That(live.Data.GetProperty("record").GetProperty("id").GetInt32()).IsEqualTo(3403);
    }
}
