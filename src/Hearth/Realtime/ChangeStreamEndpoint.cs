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
/// Each event: <c>id</c> (commit LSN and position), <c>event</c> (INSERT/UPDATE/DELETE), <c>data</c>
/// {schema, table, commit_timestamp, type, record, old_record}.
/// </summary>
public sealed class ChangeStreamEndpoint(RealtimeHub hub, ChangeFeed feed, Schema.SchemaCache schema, ApiExecutor executor, Authenticator authenticator,
    RealtimeAuth auth, HearthOptions options, IHostApplicationLifetime lifetime, ILogger<ChangeStreamEndpoint> logger)
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private readonly Schema.SchemaCache _schema = schema;
    private readonly ApiExecutor _executor = executor;
    private readonly HearthOptions _options = options;
    private readonly ILogger _logger = logger;
    private readonly Plan.ReadPlanner.Options _planOptions = new(options.DbAggregatesEnabled, options.DbMaxRows, ResponseSettings: false);

    public static bool Wants(HttpContext ctx) =>
        HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase);

    public async Task HandleAsync(HttpContext ctx)
    {
        var principal = authenticator.Authenticate(ctx); // a bad token is PostgREST's 401, as for any request
        var model = _schema.Current;
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
        var facts = new RequestFacts(SessionDefaults.SearchPathFor(request.Schema, _options.DbExtraSearchPath),
            subscriber.Role, subscriber.ClaimsJson, subscriber.Role != _options.AnonRole, "GET", ctx.Request.Path.Value ?? "/", () => RequestContextJson.Headers(ctx.Request.Headers), () => RequestContextJson.Cookies(ctx.Request));
        var sink = new ChangeStreamSink(this, client, request, relation, facts, ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "");
        channel.Changes = [new ChangeSubscription(hub.NextSubscriptionId(), channel, "*", request.Schema, request.Resource, null, null) { Sink = sink }];

        var response = ctx.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        hub.Add(channel);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, lifetime.ApplicationStopping, client.Overflowed);
        try
        {
            await WriteAsync(response, "retry: 3000\n: connected\n\n", ctx.RequestAborted);
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
                while (client.Outgoing.TryRead(out var frame)) await response.Body.WriteAsync(frame.Data, ctx.RequestAborted);
                await response.Body.FlushAsync(ctx.RequestAborted);
            }
            if (client.IsOverflowed)
                await WriteAsync(response, Event(null, "error", $$"""{"message":"client too slow: more than {{hub.Options.MaxQueuedMessages}} events waiting"}"""), ctx.RequestAborted);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally { hub.Remove(channel); }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }

    internal static string Event(string? id, string @event, string json) =>
        (id is null ? "" : $"id: {id}\n") + $"event: {@event}\ndata: {json}\n\n";

    /// <summary>
    /// One stream's subscription. INSERT and UPDATE: the REST read of this request narrowed to the changed row's
    /// key, run as the subscriber — a row comes back only if the filters match and RLS shows it, shaped by its
    /// select=. DELETE: the row is gone, so neither filters nor RLS can be asked; it is sent to every stream
    /// allowed to select the table, with the key only under RLS (as Supabase does for postgres_changes).
    /// </summary>
    private sealed class ChangeStreamSink(ChangeStreamEndpoint owner, RealtimeClient client, ApiRequest request, Schema.Relation relation,
        RequestFacts facts, string rawQuery) : IChangeSink
    {
        public async ValueTask DeliverAsync(ChangeDelivery d, CancellationToken ct)
        {
            string? row = null;
            if (d.Change.Kind != "DELETE")
            {
                if (d.Record is null) return;
                row = await ReadRowAsync(d.Record.RootElement, ct);
                if (row is null) return;
            }
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("schema", relation.Schema);
                w.WriteString("table", relation.Name);
                w.WriteString("commit_timestamp", d.CommitTimestamp);
                w.WriteString("type", d.Change.Kind);
                if (row is not null)
                {
                    w.WritePropertyName("record");
                    w.WriteRawValue(row);
                }
                if (d.Change.Kind != "INSERT" && d.Old is not null)
                {
                    var keyOnly = d.Grant.RowSecurity;
                    w.WritePropertyName("old_record");
                    w.WriteStartObject();
                    foreach (var p in d.Old.RootElement.EnumerateObject())
                        if (d.Grant.Columns.Contains(p.Name) && (!keyOnly || relation.PrimaryKey.Contains(p.Name))) p.WriteTo(w);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            client.Send(new Frame(Encoding.UTF8.GetBytes(Event(d.EventId, d.Change.Kind, Encoding.UTF8.GetString(buffer.WrittenSpan))), false));
        }

        /// <summary>The row as this request reads it, or null when the subscriber's read does not return it.</summary>
        private async Task<string?> ReadRowAsync(System.Text.Json.JsonElement record, CancellationToken ct)
        {
            var query = new StringBuilder(rawQuery);
            foreach (var key in relation.PrimaryKey)
            {
                if (!record.TryGetProperty(key, out var v)) return null;
                var text = v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString()! : v.GetRawText();
                query.Append(query.Length > 0 ? "&" : "").Append(Uri.EscapeDataString(key)).Append("=eq.").Append(Uri.EscapeDataString(text));
            }
            try
            {
                var model = owner._schema.Current;
                var narrowed = request with { Query = QueryStringParser.Parse(query.ToString()) };
                var plan = Plan.Planner.PlanRead(narrowed, model, owner._planOptions);
                var read = new Sql.ApiQuery(Sql.ReadSql.Build(plan, MediaType.Json, exactCount: false));
                var settings = TransactionSettings.For(facts, owner._options.SessionDefaults(), model.RoleSettings.GetValueOrDefault(facts.Role) ?? [], null, model.UsesRequestContext);
                await using var result = await owner._executor.ExecuteAsync(read, settings, new TransactionMode(ReadOnly: true, Commit: true), readBody: true, check: null, ct);
                using var body = new MemoryStream();
                await result.Body!.CopyToAsync(body, ct);
                body.Position = 0;
                using var rows = System.Text.Json.JsonDocument.Parse(body);
                return rows.RootElement.GetArrayLength() == 0 ? null : rows.RootElement[0].GetRawText();
            }
            catch (Exception e) when (e is ApiException or Npgsql.NpgsqlException)
            {
                owner._logger.LogDebug("Realtime: change stream read failed: {Message}", e.Message);
                return null;
            }
        }
    }
}
