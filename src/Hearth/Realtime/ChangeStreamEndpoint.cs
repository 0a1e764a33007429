using Hearth.Errors;
using System.Text;
using Hearth.Auth;
using Hearth.Data;
using Hearth.Request;
using Hearth.Response;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Realtime;

/// <summary>
/// Change streams over plain HTTP: <c>GET /&lt;table&gt;?&lt;PostgREST filters&gt;</c> (also under /rest/v1) with
/// <c>Accept: text/event-stream</c> answers with server-sent events, one per committed INSERT, UPDATE or DELETE
/// of a row the caller could read with the same request — same token, role, RLS, filter grammar and select=.
/// Dispatched before the REST pipeline; it reuses the pipeline's parsing (Request/) and planning read-only.
/// Each event: <c>id</c> (its <see cref="ChangePosition"/>), <c>event</c> (INSERT/UPDATE/DELETE), <c>data</c>
/// {schema, table, commit_timestamp, type, record, old_record}.
/// <para>Resuming: a stream starts with a bare <c>id:</c> line (where it starts), so even a client that saw no
/// event resumes without a gap. With <c>Last-Event-ID</c> (EventSource sends it on reconnect) the changes after
/// that position are replayed from <see cref="ChangeHistory"/> — filtered and read as the connecting caller —
/// then the stream goes on live, nothing missed or repeated. A position the history no longer (or never) covers
/// gets an <c>event: reload</c> carrying the current position as its id: the client re-reads the rows and
/// keeps the stream.</para>
/// </summary>
public sealed class ChangeStreamEndpoint(RealtimeHub hub, ChangeFeed feed, ChangeHistory history, ChangeDispatcher dispatcher, Schema.SchemaCache schema,
    ApiExecutor executor, Authenticator authenticator, RealtimeAuth auth, HearthOptions options, IHostApplicationLifetime lifetime, ILogger<ChangeStreamEndpoint> logger)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly Plan.ReadPlanner.Options _planOptions = new(options.DbAggregatesEnabled, options.DbMaxRows, ResponseSettings: false);

    public static bool Wants(HttpContext ctx) =>
        HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);

    public async Task HandleAsync(HttpContext ctx)
    {
        var principal = authenticator.Authenticate(ctx); // a bad token is PostgREST's 401, as for any request
        var model = schema.Current;
        model.Roles?.EnsureCanSwitchTo(principal.Role);
        DateTimeOffset? expires = null;
        if (Authenticator.BearerToken(ctx.Request.Headers.Authorization.ToString()) is { Length: > 0 } token)
            expires = auth.Authenticate(token).Expires;

        ctx.Request.Headers.Accept = "application/json"; // the rows themselves are read as JSON
        var request = await ApiRequestReader.ReadAsync(ctx.Request, model.ExposedSchemas, planEnabled: false);
        if (request.Kind != TargetKind.Relation)
            throw ApiErrors.ChangeStreamOfFunction();
        var relation = model.FindRelation(request.Schema, request.Resource) ?? throw ApiErrors.TableNotFound(request.Schema, request.Resource);
        if (relation.Kind is not (Schema.RelationKind.Table or Schema.RelationKind.PartitionedTable) || relation.PrimaryKey.Count == 0)
            throw ApiErrors.ChangeStreamNeedsPrimaryKey(request.Schema, request.Resource);
        Plan.Planner.PlanRead(request, model, _planOptions); // unknown columns, bad filters: the REST error, before streaming
        if (feed.Unavailable is { } why)
            throw ApiErrors.ChangeStreamsUnavailable(why);
        if (!hub.TryOpenConnection())
            throw ApiErrors.TooManyRealtimeConnections(hub.Options.MaxConnections);
        try
        {
            await feed.EnsureStreamingAsync(ctx.RequestAborted);
            await StreamAsync(ctx, request, relation, new Subscriber(principal.Role, principal.ClaimsJson, expires));
        }
        finally { hub.CloseConnection(); }
    }

    private async Task StreamAsync(HttpContext ctx, ApiRequest request, Schema.Relation relation, Subscriber subscriber)
    {
        var client = new RealtimeClient(vsn2: true, hub.Options.MaxQueuedMessages);
        var channel = new JoinedChannel(client, $"sse:{request.Schema}.{request.Resource}", null) { Subscriber = subscriber };
        var facts = RequestFacts.Of(ctx.Request, SessionDefaults.SearchPathFor(request.Schema, options.DbExtraSearchPath),
            subscriber.Role, subscriber.ClaimsJson, subscriber.Role != options.AnonRole);
        var sink = new ChangeStreamSink(client, request, relation, facts, ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "",
            schema, executor, options, _planOptions, hub.Options.MaxQueuedMessages, logger);
        var subscription = new ChangeSubscription(hub.NextSubscriptionId(), channel, "*", request.Schema, request.Resource, null, null) { Sink = sink };
        channel.Changes = [subscription];
        var lastEventId = ctx.Request.Headers["Last-Event-ID"].ToString();

        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var start = history.Head; // read before subscribing: whatever comes after it is replayed or arrives live
        hub.Add(channel);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping, client.Overflowed);
        Task replay = Task.CompletedTask;
        try
        {
            await WriteAsync(response, "retry: 3000\n: connected\n\n", ctx.RequestAborted);
            replay = ReplayAsync(client, sink, subscription with { Sink = sink.Replay }, lastEventId.Length > 0 ? lastEventId : null, start, stop.Token);
            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(KeepAlive);
                bool more;
                try { more = await client.Outgoing.WaitToReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    if (subscriber.IsExpired(DateTimeOffset.UtcNow))
                    {
                        await WriteAsync(response, Event(null, "error", """{"message":"JWT expired"}"""), ctx.RequestAborted);
                        return;
                    }
                    await WriteAsync(response, ": keep-alive\n\n", ctx.RequestAborted);
                    continue;
                }
                if (!more) return;
                while (client.TryRead(out var frame)) await response.Body.WriteAsync(frame.Data, ctx.RequestAborted);
                await response.Body.FlushAsync(ctx.RequestAborted);
            }
            if (client.IsOverflowed)
                await WriteAsync(response, Event(null, "error", $$"""{"message":"client too slow: more than {{hub.Options.MaxQueuedMessages}} events waiting"}"""), ctx.RequestAborted);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally
        {
            hub.Remove(channel);
            await stop.CancelAsync();
            client.Close();
            try { await replay; } catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException) { }
        }
    }

    /// <summary>
    /// Where the stream starts: after Last-Event-ID when the history still holds what followed it (replayed now,
    /// through the dispatcher, as this subscriber), else a reload event; a new stream starts where the feed is.
    /// </summary>
    private async Task ReplayAsync(RealtimeClient client, ChangeStreamSink sink, ChangeSubscription replayTo, string? lastEventId, ChangePosition? start, CancellationToken ct)
    {
        try
        {
            var resuming = lastEventId is not null;
            ChangePosition? from = resuming ? (ChangePosition.TryParse(lastEventId, out var p) ? p : null) : start;
            var found = from is { } f ? history.After(f) : new ChangeHistory.Replay(false, history.Head, []);
            if (found.Resumable)
            {
                sink.Skip(from!.Value);
                if (!resuming) await client.SendWaitingAsync(Text($"id: {from}\n\n"), ct);
                foreach (var entry in found.Entries)
                    await dispatcher.DispatchAsync(entry.Change, entry.CommitTime, entry.Position, ct, [replayTo]);
            }
            else if (found.Head is { } head)
            {
                sink.Skip(head);
                if (resuming)
                {
                    logger.LogDebug("Realtime: change stream cannot resume after {Id}; sent reload", lastEventId);
                    await client.SendWaitingAsync(Text(Event(head.ToString(), "reload", ReloadJson(lastEventId!))), ct);
                }
                else await client.SendWaitingAsync(Text($"id: {head}\n\n"), ct);
            }
            else if (resuming) await client.SendWaitingAsync(Text(Event(null, "reload", ReloadJson(lastEventId!))), ct);
        }
        catch (Exception e) when (e is not (OperationCanceledException or System.Threading.Channels.ChannelClosedException))
        {
            // Part of the history could not be replayed: say so rather than leave a silent gap.
            logger.LogWarning("Realtime: change stream replay failed ({Message}); sent reload", e.Message);
            await client.SendWaitingAsync(Text(Event(history.Head?.ToString(), "reload", ReloadJson(lastEventId ?? ""))), ct);
        }
        finally
        {
            if (!ct.IsCancellationRequested) await sink.GoLiveAsync(ct);
        }
    }

    private static string ReloadJson(string lastEventId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("message", "cannot resume after this Last-Event-ID: it is older than the retention window, from another server or before a restart; read the rows again, this stream goes on from here");
            w.WriteString("last_event_id", lastEventId);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static Frame Text(string text) => new(Encoding.UTF8.GetBytes(text), false);

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }

    internal static string Event(string? id, string @event, string json) =>
        (id is null ? "" : $"id: {id}\n") + $"event: {@event}\ndata: {json}\n\n";
}
