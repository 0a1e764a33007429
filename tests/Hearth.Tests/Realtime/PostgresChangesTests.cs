using System.Text.Json;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Infrastructure.CanonicalJson;

namespace Hearth.Tests.Realtime;

/// <summary>
/// postgres_changes end to end: a row committed in PostgreSQL reaches the subscribers whose bindings, filters,
/// grants and RLS policies let them see it, shaped as Supabase's payload (data: schema, table, commit_timestamp,
/// type, columns, record, old_record, errors; ids of the matching bindings).
/// </summary>
[ClassDataSource<RealtimeHearth>(Shared = SharedType.PerTestSession)]
public class PostgresChangesTests(RealtimeHearth hearth)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(1500);

    private static bool Change(PhoenixSocket.Message m, string type, string column, long value) =>
        m.Event == "postgres_changes" && m.Payload.GetProperty("data").GetProperty("type").GetString() == type &&
        Record(m, type == "DELETE" ? "old_record" : "record").TryGetProperty(column, out var v) && v.ValueKind == JsonValueKind.Number && v.GetInt64() == value;

    private static JsonElement Record(PhoenixSocket.Message m, string name) =>
        m.Payload.GetProperty("data").TryGetProperty(name, out var r) ? r : default;

    private static string Changes(string bindings) => $$"""{"postgres_changes":[{{bindings}}]}""";

    [Test]
    public async Task Insert_update_and_delete_arrive_typed_with_the_whole_old_row_under_replica_identity_full()
    {
        await using var socket = await hearth.ConnectAsync();
        var join = await socket.JoinAsync("realtime:items-all", Changes("""{"event":"*","schema":"public","table":"items"}"""));
        var id = join.Payload.GetProperty("response").GetProperty("postgres_changes")[0].GetProperty("id").GetInt64();
        await Db.ExecAsync(hearth.Sql, "insert into items values (101, 'pen', 1.50, false)");
        await Db.ExecAsync(hearth.Sql, "update items set label = 'pencil', done = true where id = 101");
        await Db.ExecAsync(hearth.Sql, "delete from items where id = 101");

        var insert = await socket.WaitForAsync(m => Change(m, "INSERT", "id", 101));
        var update = await socket.WaitForAsync(m => Change(m, "UPDATE", "id", 101));
        var delete = await socket.WaitForAsync(m => Change(m, "DELETE", "id", 101));
        using var _ = Assert.Multiple();
        await Assert.That(insert.Topic).IsEqualTo("realtime:items-all");
        await Assert.That(insert.Payload.GetProperty("ids").GetRawText()).IsEqualTo($"[{id}]");
        var data = insert.Payload.GetProperty("data");
        await Assert.That(data.GetProperty("schema").GetString()).IsEqualTo("public");
        await Assert.That(data.GetProperty("table").GetString()).IsEqualTo("items");
        await Assert.That(data.GetProperty("errors").ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(DateTimeOffset.UtcNow - DateTimeOffset.Parse(data.GetProperty("commit_timestamp").GetString()!)).IsLessThan(TimeSpan.FromMinutes(1));
        await Assert.That(Canon(data.GetProperty("columns").GetRawText()))
            .IsEqualTo(Canon("""[{"name":"id","type":"int4"},{"name":"label","type":"text"},{"name":"price","type":"numeric"},{"name":"done","type":"bool"}]"""));
        await Assert.That(Canon(Record(insert, "record").GetRawText())).IsEqualTo(Canon("""{"id":101,"label":"pen","price":1.50,"done":false}"""));
        await Assert.That(data.TryGetProperty("old_record", out var _)).IsFalse();
        await Assert.That(Canon(Record(update, "record").GetRawText())).IsEqualTo(Canon("""{"id":101,"label":"pencil","price":1.50,"done":true}"""));
        await Assert.That(Canon(Record(update, "old_record").GetRawText())).IsEqualTo(Canon("""{"id":101,"label":"pen","price":1.50,"done":false}"""));
        await Assert.That(Canon(Record(delete, "old_record").GetRawText())).IsEqualTo(Canon("""{"id":101,"label":"pencil","price":1.50,"done":true}"""));
        await Assert.That(delete.Payload.GetProperty("data").TryGetProperty("record", out var _)).IsFalse();
    }

    [Test]
    public async Task RLS_decides_who_gets_a_row_and_column_grants_hide_columns()
    {
        await using var alice = await hearth.ConnectAsync();
        await using var bob = await hearth.ConnectAsync();
        await using var anon = await hearth.ConnectAsync();
        var binding = Changes("""{"event":"*","schema":"public","table":"notes"}""");
        await alice.JoinAsync("realtime:notes", binding, Jwt.For("authenticated", "alice"));
        await bob.JoinAsync("realtime:notes", binding, Jwt.For("authenticated", "bob"));
        await anon.JoinAsync("realtime:notes", binding);
        await Db.ExecAsync(hearth.Sql, """insert into notes (id, owner, body, n, tags, meta, secret) values (1001, 'alice', 'hi', 7, '{a,b}', '{"k":[1,true]}', 'pin 1234')""");

        var got = await alice.WaitForAsync(m => Change(m, "INSERT", "id", 1001));
        using var _ = Assert.Multiple();
        await Assert.That(Canon(Record(got, "record").GetRawText()))
            .IsEqualTo(Canon("""{"id":1001,"owner":"alice","body":"hi","n":7,"tags":["a","b"],"meta":{"k":[1,true]},"at":"2024-01-02T03:04:05+00:00"}"""));
        var columns = got.Payload.GetProperty("data").GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        await Assert.That(columns).DoesNotContain("secret");
        await Assert.That(await bob.CollectAsync(m => m.Event == "postgres_changes", Quiet)).IsEmpty();
        await Assert.That(await anon.CollectAsync(m => m.Event == "postgres_changes", Quiet)).IsEmpty();

        // Under RLS an UPDATE's old record is the key; a DELETE cannot be checked (the row is gone), so every
        // subscriber allowed to SELECT the table gets it, with the key only — as in Supabase. anon has no SELECT.
        await Db.ExecAsync(hearth.Sql, "update notes set body = 'edited' where id = 1001");
        var update = await alice.WaitForAsync(m => Change(m, "UPDATE", "id", 1001));
        await Assert.That(Record(update, "old_record").GetRawText()).IsEqualTo("""{"id":1001}""");
        await Db.ExecAsync(hearth.Sql, "delete from notes where id = 1001");
        var aliceDelete = await alice.WaitForAsync(m => Change(m, "DELETE", "id", 1001));
        await Assert.That(Record(aliceDelete, "old_record").GetRawText()).IsEqualTo("""{"id":1001}""");
        var bobDelete = await bob.WaitForAsync(m => Change(m, "DELETE", "id", 1001));
        await Assert.That(Record(bobDelete, "old_record").GetRawText()).IsEqualTo("""{"id":1001}""");
        await Assert.That(await anon.CollectAsync(m => m.Event == "postgres_changes", Quiet)).IsEmpty();
    }

    [Test]
    public async Task Each_filter_operator_selects_its_rows_and_a_message_names_every_binding_it_matched()
    {
        await using var socket = await hearth.ConnectAsync();
        string[] filters = ["id=eq.201", "id=neq.201", "id=lt.202", "id=lte.202", "id=gt.202", "id=gte.202", "label=in.(a,\"b,c\")"];
        var join = await socket.JoinAsync("realtime:filters",
            Changes(string.Join(",", filters.Select(f => $$"""{"event":"INSERT","schema":"public","table":"items","filter":"{{f.Replace("\"", "\\\"")}}"}"""))));
        var bindings = join.Payload.GetProperty("response").GetProperty("postgres_changes").EnumerateArray()
            .ToDictionary(b => b.GetProperty("filter").GetString()!, b => b.GetProperty("id").GetInt64());
        await Db.ExecAsync(hearth.Sql, "insert into items values (201, 'a', 1, false), (202, 'b,c', 2, false), (203, 'z', 3, false)");

        async Task<string[]> Matched(long row)
        {
            var m = await socket.WaitForAsync(x => Change(x, "INSERT", "id", row));
            var ids = m.Payload.GetProperty("ids").EnumerateArray().Select(i => i.GetInt64()).ToHashSet();
            return bindings.Where(b => ids.Contains(b.Value)).Select(b => b.Key).Order(StringComparer.Ordinal).ToArray();
        }

        using var _ = Assert.Multiple();
        await Assert.That(await Matched(201)).IsEquivalentTo(new[] { "id=eq.201", "id=lt.202", "id=lte.202", "label=in.(a,\"b,c\")" });
        await Assert.That(await Matched(202)).IsEquivalentTo(new[] { "id=neq.201", "id=lte.202", "id=gte.202", "label=in.(a,\"b,c\")" });
        await Assert.That(await Matched(203)).IsEquivalentTo(new[] { "id=neq.201", "id=gt.202", "id=gte.202" });
    }

    [Test]
    public async Task A_table_the_role_cannot_select_and_one_outside_the_publication_send_nothing()
    {
        await using var socket = await hearth.ConnectAsync();
        await socket.JoinAsync("realtime:vault", Changes("""{"event":"*","schema":"public","table":"vault"},{"event":"*","schema":"public","table":"other_items"}"""),
            Jwt.For("authenticated", "alice"));
        await Db.ExecAsync(hearth.Sql, "insert into vault values (1, 'secret'); insert into other_items values (1)");
        await Assert.That(await socket.CollectAsync(m => m.Event == "postgres_changes", Quiet)).IsEmpty();
    }

    [Test]
    public async Task A_whole_schema_subscription_gets_every_published_table_it_may_read()
    {
        await using var socket = await hearth.ConnectAsync(); // anon: items only
        await socket.JoinAsync("realtime:schema", Changes("""{"event":"INSERT","schema":"public"}"""));
        await Db.ExecAsync(hearth.Sql, "insert into notes (id, owner) values (1301, 'anyone'); insert into items values (1301, 'x', 1, false)");
        var m = await socket.WaitForAsync(x => Change(x, "INSERT", "id", 1301));
        await Assert.That(m.Payload.GetProperty("data").GetProperty("table").GetString()).IsEqualTo("items");
        // Other tests write items at the same time: only notes must not come.
        await Assert.That(await socket.CollectAsync(x => x.Event == "postgres_changes" && x.Payload.GetProperty("data").GetProperty("table").GetString() == "notes", Quiet)).IsEmpty();
    }

    [Test]
    public async Task A_new_access_token_takes_effect_on_the_open_channel()
    {
        await using var socket = await hearth.ConnectAsync();
        await socket.JoinAsync("realtime:upgrade", Changes("""{"event":"INSERT","schema":"public","table":"notes"}"""));
        await Db.ExecAsync(hearth.Sql, "insert into notes (id, owner) values (1401, 'carol')");
        await Assert.That(await socket.CollectAsync(m => m.Event == "postgres_changes", Quiet)).IsEmpty();
        await socket.PushAsync("realtime:upgrade", "access_token", $$"""{"access_token":"{{Jwt.For("authenticated", "carol")}}"}""", joinRef: "1");
        await Task.Delay(200);
        await Db.ExecAsync(hearth.Sql, "insert into notes (id, owner) values (1402, 'carol')");
        await socket.WaitForAsync(m => Change(m, "INSERT", "id", 1402));
    }

    [Test]
    public async Task An_expired_token_stops_delivery_and_closes_the_channel_with_a_reason()
    {
        await using var socket = await hearth.ConnectAsync();
        // Valid for about 3 more seconds: 30 s of clock skew are tolerated past exp, as for REST requests.
        var token = Jwt.Hs($$"""{"role":"anon","exp":{{Jwt.Now - 27}}}""");
        var join = await socket.JoinAsync("realtime:short", Changes("""{"event":"INSERT","schema":"public","table":"items","filter":"id=eq.1501"}"""), token);
        await Assert.That(join.Payload.GetProperty("status").GetString()).IsEqualTo("ok");
        await Task.Delay(TimeSpan.FromSeconds(4));
        await Db.ExecAsync(hearth.Sql, "insert into items values (1501, 'late', 1, false)");
        await Assert.That(await socket.CollectAsync(m => m.Event == "postgres_changes", Quiet)).IsEmpty();
        await socket.PushAsync("phoenix", "heartbeat", "{}");
        var system = await socket.WaitForAsync(m => m.Event == "system" && m.Payload.GetProperty("status").GetString() == "error");
        await Assert.That(system.Payload.GetProperty("message").GetString()).IsEqualTo("Token has expired");
        await socket.WaitForAsync(m => m.Event == "phx_close" && m.Topic == "realtime:short");
    }
}
