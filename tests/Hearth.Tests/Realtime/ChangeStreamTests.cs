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
    private sealed record Sse(string? Id, string Event, JsonElement Data);

    /// <summary>An open stream; events are parsed as they arrive.</summary>
    private sealed class Stream : IAsyncDisposable
    {
        private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
        private readonly CancellationTokenSource _cts = new();
        private readonly Channel<Sse> _events = Channel.CreateUnbounded<Sse>();
        public HttpResponseMessage Response { get; private set; } = null!;

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

        /// <summary>The next event, skipping DELETEs of other rows (deletes cannot be filtered: every stream gets them).</summary>
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
