using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hearth.Data;
using Hearth.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Hearth.Realtime;

/// <summary>
/// Turns a committed row change into postgres_changes messages, Supabase's way:
/// <list type="number">
/// <item>the subscriptions that want it (schema, table, event, filter);</item>
/// <item>the row as JSON, typed by PostgreSQL (to_jsonb of the table's row type built from the stream's values);</item>
/// <item>for each subscriber role: no SELECT on the table, nothing; only the columns it may select;</item>
/// <item>under RLS, for each distinct (role, claims): could it SELECT the row now? — checked on the API
///   connections as that role with those claims, all groups in one round trip;</item>
/// <item>a DELETE cannot be checked (the row is gone): under RLS its old record carries only the key, as in Supabase.</item>
/// </list>
/// One message per channel, with the ids of every binding of that channel it matched.
/// </summary>
public sealed class ChangeDispatcher(RealtimeHub hub, NpgsqlDataSource admin, ApiDataSource api, TableAccess access, Schema.SchemaCache schema,
    HearthOptions options, TimeProvider time, ILogger<ChangeDispatcher> logger)
{
    private const uint JsonOid = 114, JsonbOid = 3802;
    private readonly ConcurrentDictionary<uint, string> _typeNames = new();
    // Role and claims must always be set: a group may follow one that changed them in the same transaction.
    private readonly SessionDefaults _alwaysSet = options.SessionDefaults() with { Role = null, ClaimsJson = "" };

    /// <param name="position">Where this change sits in the stream, for SSE's Last-Event-ID.</param>
    /// <param name="only">These subscriptions instead of every current one (a change stream replaying history).</param>
    public async Task DispatchAsync(RowChange change, DateTimeOffset commitTime, ChangePosition position, CancellationToken ct, IReadOnlyList<ChangeSubscription>? only = null)
    {
        var rel = change.Relation;
        var now = time.GetUtcNow();
        var wanted = (only ?? hub.ChangeSubscriptions).Where(s => !s.Channel.Closed && s.Wants(rel.Schema, rel.Table, change.Kind)).ToList();
        if (wanted.Count == 0) return;

        var (record, old) = await ToJsonAsync(change, ct);
        var filterOn = change.Kind == "DELETE" ? old : record;
        wanted = wanted.Where(s => s.Filter is null || (filterOn is { } r && s.Filter.Matches(r.RootElement))).ToList();
        if (wanted.Count == 0) return;
        var columns = await ColumnTypesAsync(rel, ct);

        // Which (role, claims) may see the row: privileges first, then RLS for the groups it applies to.
        var grants = new Dictionary<string, TableGrant>(StringComparer.Ordinal);
        var visible = new Dictionary<(string, string), bool>();
        var toCheck = new List<Subscriber>();
        foreach (var sub in wanted)
        {
            var who = sub.Channel.Subscriber;
            if (who.IsExpired(now)) continue;
            if (!grants.TryGetValue(who.Role, out var grant)) grants[who.Role] = grant = await access.GetAsync(who.Role, rel.Id, ct);
            if (!grant.CanSelect || visible.ContainsKey((who.Role, who.ClaimsJson))) continue;
            if (grant.RowSecurity && change.Kind != "DELETE")
            {
                visible[(who.Role, who.ClaimsJson)] = false;
                toCheck.Add(who);
            }
            else visible[(who.Role, who.ClaimsJson)] = true;
        }
        if (toCheck.Count > 0 && record is not null) await CheckRowSecurityAsync(rel, record, toCheck, visible, ct);

        var timestamp = commitTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        foreach (var sink in wanted.Where(s => s.Sink is not null))
        {
            var who = sink.Channel.Subscriber;
            if (sink.Channel.Closed || who.IsExpired(now) || !grants.TryGetValue(who.Role, out var grant) || !grant.CanSelect) continue;
            await sink.Sink!.DeliverAsync(new ChangeDelivery(change, record, old, grant, timestamp, position), ct);
        }
        foreach (var byChannel in wanted.Where(s => s.Sink is null).GroupBy(s => s.Channel))
        {
            var channel = byChannel.Key;
            var who = channel.Subscriber;
            if (channel.Closed || who.IsExpired(now) || !visible.GetValueOrDefault((who.Role, who.ClaimsJson)) || !grants.TryGetValue(who.Role, out var grant)) continue;
            var keyOnly = grant.RowSecurity && change.Kind == "DELETE";
            var ids = byChannel.Select(s => s.Id).ToList();
            channel.Client.Send(channel.JoinRef, null, channel.Topic, "postgres_changes", w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("ids");
                w.WriteStartArray();
                foreach (var id in ids) w.WriteNumberValue(id);
                w.WriteEndArray();
                w.WritePropertyName("data");
                w.WriteStartObject();
                w.WriteString("schema", rel.Schema);
                w.WriteString("table", rel.Table);
                w.WriteString("commit_timestamp", timestamp);
                w.WriteString("type", change.Kind);
                w.WritePropertyName("columns");
                w.WriteStartArray();
                foreach (var (name, type) in columns)
                {
                    if (!grant.Columns.Contains(name)) continue;
                    w.WriteStartObject();
                    w.WriteString("name", name);
                    w.WriteString("type", type);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                if (change.Kind != "DELETE") WriteRecord(w, "record", record, grant, null);
                if (change.Kind != "INSERT") WriteRecord(w, "old_record", old, grant, keyOnly ? rel : null);
                w.WriteNull("errors");
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
    }

    private static void WriteRecord(Utf8JsonWriter w, string name, JsonDocument? doc, TableGrant grant, RelationInfo? keyOnly)
    {
        w.WritePropertyName(name);
        w.WriteStartObject();
        if (doc is not null)
            foreach (var p in doc.RootElement.EnumerateObject())
                if (grant.Columns.Contains(p.Name) && (keyOnly is null || keyOnly.Columns.Any(c => c.IsKey && c.Name == p.Name)))
                    p.WriteTo(w);
        w.WriteEndObject();
    }

    /// <summary>
    /// The new and old rows as to_jsonb shows them. The stream's text values go through the table's row type
    /// (jsonb_populate_record feeds each string to its column type's input function; json columns take the
    /// JSON itself), so numbers, booleans, timestamps and arrays come out as in a REST response. Only the
    /// columns the stream carried are kept.
    /// </summary>
    private async Task<(JsonDocument? New, JsonDocument? Old)> ToJsonAsync(RowChange change, CancellationToken ct)
    {
        var rel = change.Relation;
        var oldValues = change.Old;
        var oldKeysOnly = !change.OldIsFull;
        if (oldValues is null && change.Kind == "UPDATE" && change.New is { } n) oldValues = n; // key unchanged: the new row's key
        var newJson = change.New is null ? null : ValuesJson(rel, change.New, change.Unchanged, keysOnly: false);
        var oldJson = oldValues is null ? null : ValuesJson(rel, oldValues, null, keysOnly: oldKeysOnly);
        var type = SqlText.Qualified(rel.Schema, rel.Table);
        await using var conn = await admin.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select to_jsonb(jsonb_populate_record(null::{type}, $1)), to_jsonb(jsonb_populate_record(null::{type}, $2))", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)newJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)oldJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (Keep(reader, 0, newJson), Keep(reader, 1, oldJson));

        static JsonDocument? Keep(NpgsqlDataReader reader, int i, string? input)
        {
            if (input is null || reader.IsDBNull(i)) return null;
            using var full = JsonDocument.Parse(reader.GetString(i));
            using var sent = JsonDocument.Parse(input);
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                foreach (var p in full.RootElement.EnumerateObject())
                    if (sent.RootElement.TryGetProperty(p.Name, out _)) p.WriteTo(w);
                w.WriteEndObject();
            }
            return JsonDocument.Parse(buffer.WrittenMemory);
        }
    }

    private static string ValuesJson(RelationInfo rel, string?[] values, bool[]? unchanged, bool keysOnly)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            for (var i = 0; i < rel.Columns.Count && i < values.Length; i++)
            {
                var col = rel.Columns[i];
                if ((unchanged is not null && unchanged[i]) || (keysOnly && !col.IsKey)) continue;
                w.WritePropertyName(col.Name);
                if (values[i] is not { } v) w.WriteNullValue();
                else if (col.TypeOid is JsonOid or JsonbOid) w.WriteRawValue(v, skipInputValidation: false);
                else w.WriteStringValue(v);
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The column type names Supabase sends (pg_type.typname: int8, text, _int4, …).</summary>
    private async Task<List<(string Name, string Type)>> ColumnTypesAsync(RelationInfo rel, CancellationToken ct)
    {
        var missing = rel.Columns.Select(c => c.TypeOid).Where(o => !_typeNames.ContainsKey(o)).Distinct().ToArray();
        if (missing.Length > 0)
        {
            await using var conn = await admin.OpenConnectionAsync(ct);
            await using var cmd = new NpgsqlCommand("select oid, typname::text from pg_type where oid = any($1)", conn);
            cmd.Parameters.Add(new NpgsqlParameter { Value = missing, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct)) _typeNames[reader.GetFieldValue<uint>(0)] = reader.GetString(1);
        }
        return rel.Columns.Select(c => (c.Name, _typeNames.GetValueOrDefault(c.TypeOid, "unknown"))).ToList();
    }

    /// <summary>
    /// One batch on an API connection: for each (role, claims), the transaction-local settings a REST request
    /// would get (Data/TransactionSettings), then whether the row with this key is visible.
    /// </summary>
    private async Task CheckRowSecurityAsync(RelationInfo rel, JsonDocument record, List<Subscriber> groups, Dictionary<(string, string), bool> visible, CancellationToken ct)
    {
        var keys = rel.Columns.Where(c => c.IsKey).Select(c => SqlText.Ident(c.Name)).ToList();
        if (keys.Count == 0) return; // no replica identity key: nothing to look the row up by; not visible
        var type = SqlText.Qualified(rel.Schema, rel.Table);
        var keyList = string.Join(", ", keys);
        var check = $"select exists(select 1 from {type} t where ({string.Join(", ", keys.Select(k => "t." + k))}) = (select {keyList} from jsonb_populate_record(null::{type}, $1)))";
        var model = schema.Current;
        await using var conn = await api.Source.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var checkedGroups = groups.Where(g => model.Roles is not { } roles || roles.CanSwitchTo(g.Role)).ToList();
        if (checkedGroups.Count == 0) return;
        foreach (var who in checkedGroups)
        {
            var facts = new RequestFacts(_alwaysSet.SearchPath, who.Role, who.ClaimsJson, who.Role != _alwaysSet.Role, "GET", "/realtime/v1", Http: null);
            var settings = TransactionSettings.For(facts, _alwaysSet, model.RoleSettings.GetValueOrDefault(who.Role) ?? [], null);
            var setup = new NpgsqlBatchCommand(settings.SettingsSql!);
            foreach (var v in settings.Values) setup.Parameters.Add(new NpgsqlParameter { Value = v, NpgsqlDbType = NpgsqlDbType.Text });
            batch.BatchCommands.Add(setup);
            var cmd = new NpgsqlBatchCommand(check);
            cmd.Parameters.Add(new NpgsqlParameter { Value = record.RootElement.GetRawText(), NpgsqlDbType = NpgsqlDbType.Jsonb });
            batch.BatchCommands.Add(cmd);
        }
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            for (var i = 0; i < checkedGroups.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync(ct); // to this group's settings
                await reader.NextResultAsync(ct); // to its check
                await reader.ReadAsync(ct);
                visible[(checkedGroups[i].Role, checkedGroups[i].ClaimsJson)] = reader.GetBoolean(0);
            }
        }
        catch (PostgresException e)
        {
            // A policy that fails for one role fails the batch: deliver nothing rather than guess.
            logger.LogWarning("Realtime: row security check on {Schema}.{Table} failed: {Message}", rel.Schema, rel.Table, e.MessageText);
        }
    }
}
