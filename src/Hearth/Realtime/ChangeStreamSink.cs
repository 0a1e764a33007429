using System.Text;
using System.Text.Json;
using Hearth.Data;
using Hearth.Errors;
using Hearth.Request;
using Microsoft.Extensions.Logging;

namespace Hearth.Realtime;

/// <summary>
/// One change stream's subscription. INSERT and UPDATE: the REST read of this request narrowed to the changed
/// row's key, run as the subscriber — a row comes back only if the filters match and RLS shows it, shaped by its
/// select=. DELETE: the row is gone, so RLS cannot be asked; the old record is sent to every stream allowed to
/// select the table (only its key under RLS, as Supabase does) whose filters it passes — checked on the old
/// record as sent, when that carries every column the filters name; otherwise it is sent (as Supabase sends
/// DELETEs it cannot filter).
/// <para>Resuming: until <see cref="GoLiveAsync"/>, changes arriving live wait while the stream replays its
/// history through <see cref="Replay"/>; every event is written once, in position order (a watermark drops
/// what was already written).</para>
/// </summary>
internal sealed class ChangeStreamSink(RealtimeClient client, ApiRequest request, Schema.Relation relation, RequestFacts facts, string rawQuery,
    Schema.SchemaCache schema, ApiExecutor executor, HearthOptions options, Plan.ReadPlanner.Options planOptions, int maxPending, ILogger logger) : IChangeSink
{
    private readonly object _gate = new();
    private List<ChangeDelivery> _pending = [];
    private bool _live;
    private ChangePosition? _written;

    /// <summary>Writes replayed changes at once, waiting for room in the queue.</summary>
    public IChangeSink Replay => new ReplaySink(this);

    /// <summary>Nothing at or before this position is written (what the client already has).</summary>
    public void Skip(ChangePosition upTo) => _written = upTo;

    public ValueTask DeliverAsync(ChangeDelivery d, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_live)
            {
                _pending.Add(d);
                if (_pending.Count > maxPending) client.MarkOverflowed();
                return ValueTask.CompletedTask;
            }
        }
        return WriteAsync(d, wait: false, ct);
    }

    /// <summary>After the replay: the changes that arrived meanwhile, then live delivery.</summary>
    public async Task GoLiveAsync(CancellationToken ct)
    {
        while (true)
        {
            List<ChangeDelivery> waiting;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _live = true;
                    return;
                }
                waiting = _pending;
                _pending = [];
            }
            foreach (var d in waiting) await WriteAsync(d, wait: true, ct);
        }
    }

    private async ValueTask WriteAsync(ChangeDelivery d, bool wait, CancellationToken ct)
    {
        if (_written is { } written && d.Position <= written) return;
        _written = d.Position;
        var keyOnly = d.Grant.RowSecurity;
        string? row = null, old = null;
        if (d.Change.Kind != "DELETE")
        {
            if (d.Record is null) return;
            row = await ReadRowAsync(d.Record.RootElement, ct);
            if (row is null) return;
        }
        if (d.Change.Kind != "INSERT" && d.Old is not null)
            old = Json(w =>
            {
                w.WriteStartObject();
                foreach (var p in d.Old.RootElement.EnumerateObject())
                    if (d.Grant.Columns.Contains(p.Name) && (!keyOnly || relation.PrimaryKey.Contains(p.Name))) p.WriteTo(w);
                w.WriteEndObject();
            });
        if (d.Change.Kind == "DELETE" && old is not null && !await OldPassesAsync(old, ct)) return;
        var data = Json(w =>
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
            if (old is not null)
            {
                w.WritePropertyName("old_record");
                w.WriteRawValue(old);
            }
            w.WriteEndObject();
        });
        var frame = new Frame(Encoding.UTF8.GetBytes(ChangeStreamEndpoint.Event(d.Position.ToString(), d.Change.Kind, data)), false);
        if (wait) await client.SendWaitingAsync(frame, ct);
        else client.Send(frame);
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private TransactionSettings Settings(Schema.SchemaModel model) =>
        TransactionSettings.For(facts, options.SessionDefaults(), model.RoleSettings.GetValueOrDefault(facts.Role) ?? [], null, model.UsesRequestContext);

    /// <summary>The row as this request reads it, or null when the subscriber's read does not return it.</summary>
    private async Task<string?> ReadRowAsync(JsonElement record, CancellationToken ct)
    {
        var query = new StringBuilder(rawQuery);
        foreach (var key in relation.PrimaryKey)
        {
            if (!record.TryGetProperty(key, out var v)) return null;
            var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText();
            query.Append(query.Length > 0 ? "&" : "").Append(Uri.EscapeDataString(key)).Append("=eq.").Append(Uri.EscapeDataString(text));
        }
        try
        {
            var model = schema.Current;
            var narrowed = request with { Query = QueryStringParser.Parse(query.ToString()) };
            var plan = Plan.Planner.PlanRead(narrowed, model, planOptions);
            var read = new Sql.ApiQuery(Sql.ReadSql.Build(plan, MediaType.Json, exactCount: false));
            await using var result = await executor.ExecuteAsync(read, Sql.RequestValues.None, Settings(model), new TransactionMode(ReadOnly: true, Commit: true), readBody: true, check: null, ct);
            using var body = new MemoryStream();
            await result.Body!.CopyToAsync(body, ct);
            body.Position = 0;
            using var rows = JsonDocument.Parse(body);
            return rows.RootElement.GetArrayLength() == 0 ? null : rows.RootElement[0].GetRawText();
        }
        catch (Exception e) when (e is ApiException or Npgsql.NpgsqlException)
        {
            logger.LogDebug("Realtime: change stream read failed: {Message}", e.Message);
            return null;
        }
    }

    /// <summary>Whether the deleted row's old record, as sent, passes this stream's filters (true when they name a column it lacks).</summary>
    private async Task<bool> OldPassesAsync(string oldJson, CancellationToken ct)
    {
        try
        {
            var model = schema.Current;
            var plan = Plan.Planner.PlanRead(request, model, planOptions);
            if (plan.Conditions.Count == 0) return true;
            using (var doc = JsonDocument.Parse(oldJson))
            {
                var present = doc.RootElement.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
                if (!Sql.RowMatchSql.CanDecide(plan, present)) return true;
            }
            var match = new Sql.ApiQuery(Sql.RowMatchSql.Build(plan, oldJson));
            await using var result = await executor.ExecuteAsync(match, Sql.RequestValues.None, Settings(model), new TransactionMode(ReadOnly: true, Commit: true), readBody: false, check: null, ct);
            return result.PageTotal > 0;
        }
        catch (Exception e) when (e is ApiException or Npgsql.NpgsqlException)
        {
            logger.LogDebug("Realtime: change stream delete filter failed: {Message}", e.Message);
            return true; // a DELETE the client may need is sent rather than lost
        }
    }

    private sealed class ReplaySink(ChangeStreamSink owner) : IChangeSink
    {
        public ValueTask DeliverAsync(ChangeDelivery delivery, CancellationToken ct) => owner.WriteAsync(delivery, wait: true, ct);
    }
}
