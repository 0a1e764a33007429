using System.Net;
using System.Text;
using Hearth.Tests.Infrastructure;
using Hearth.Tests.Realtime;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.External;

/// <summary>
/// Two Hearth instances on one database (REST through the pooler when there is one), realtime's replication
/// stream on --database-replication-url straight to PostgreSQL as hearth_replicator — the only role of the
/// three with REPLICATION, so postgres_changes works only if that flag is used. items is in supabase_realtime.
/// </summary>
public sealed class RealtimeInstances : IAsyncInitializer, IAsyncDisposable
{
    [ClassDataSource<ExternalServer>(Shared = SharedType.PerTestSession)]
    public required ExternalServer Server { get; init; }

    public ExternalDatabase Db { get; private set; } = null!;
    public List<HearthProcess> Processes { get; } = [];

    public string ReplicationUrl => Server.Url("hearth_replicator", ExternalServer.ReplicatorPassword, Db.Name, viaPooler: false);

    public async Task InitializeAsync()
    {
        Db = await Server.NewDatabaseAsync();
        await Task.WhenAll(StartAsync(), StartAsync());
        await Infrastructure.Db.ExecAsync(Db.Superuser, "grant insert on public.items to service_role; alter publication supabase_realtime add table public.items");
    }

    /// <summary>Another instance on the same database (disposed with the fixture).</summary>
    public async Task<HearthProcess> StartAsync()
    {
        var hearth = ExternalHearth.Start(ExternalHearth.ServeArgs(Server, Db, "--database-replication-url", ReplicationUrl));
        lock (Processes) Processes.Add(hearth);
        await hearth.WaitReadyAsync();
        return hearth;
    }

    public HearthProcess A => Processes[0];
    public HearthProcess B => Processes[1];

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Processes) await p.DisposeAsync();
    }
}

/// <summary>postgres_changes, broadcast and presence across instances; the replication slots of dead instances are dropped, live ones kept.</summary>
[ClassDataSource<RealtimeInstances>(Shared = SharedType.PerClass)]
[NotInParallel("realtime-instances")]
public class RealtimeAcrossInstancesTests(RealtimeInstances two)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(1500);
    private const string ItemsChanges = """{"postgres_changes":[{"event":"INSERT","schema":"public","table":"items"}]}""";

    private static async Task InsertAsync(HearthProcess through, int id)
    {
        using var http = ExternalHearth.Client(through);
        using var req = new HttpRequestMessage(HttpMethod.Post, "items") { Content = new StringContent($$"""{"id":{{id}},"name":"n{{id}}"}""", Encoding.UTF8, "application/json") };
        req.Headers.Add("apikey", Jwt.For("service_role"));
        req.Headers.Authorization = new("Bearer", Jwt.For("service_role"));
        using var res = await http.SendAsync(req);
        if (res.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"insert {id}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
    }

    private static bool IsInsert(PhoenixSocket.Message m, int id) =>
        m.Event == "postgres_changes" && m.Payload.GetProperty("data").GetProperty("record").GetProperty("id").GetInt32() == id;

    private static async Task<List<int>> InsertIdsAsync(PhoenixSocket socket) =>
        (await socket.CollectAsync(m => m.Event == "postgres_changes", Quiet))
        .Select(m => m.Payload.GetProperty("data").GetProperty("record").GetProperty("id").GetInt32()).ToList();

    private async Task<List<string>> SlotsAsync() =>
        [.. (await Db.ScalarAsync<string?>(two.Db.Superuser, "select coalesce(string_agg(slot_name, ',' order by slot_name), '') from pg_replication_slots where database = current_database()") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)];

    private static async Task Until(Func<Task<bool>> check, TimeSpan timeout, string what)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (await check()) return;
            await Task.Delay(200);
        }
        throw new TimeoutException("waited for " + what);
    }

    [Test]
    public async Task Subscribers_on_each_instance_get_every_change_committed_through_any_instance_exactly_once()
    {
        await using var onA = await PhoenixSocket.ConnectAsync(two.A.BaseUrl);
        await using var onB = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        foreach (var s in new[] { onA, onB })
            await Assert.That((await s.JoinAsync("realtime:items", ItemsChanges)).Payload.GetProperty("status").GetString()).IsEqualTo("ok");

        await InsertAsync(two.A, 101);
        await InsertAsync(two.B, 102);
        await InsertAsync(two.A, 103);

        foreach (var s in new[] { onA, onB }) await s.WaitForAsync(m => IsInsert(m, 103), TimeSpan.FromSeconds(15));
        var restA = await InsertIdsAsync(onA);
        var restB = await InsertIdsAsync(onB);
        using var multiple = Assert.Multiple();
        // 103 was consumed above; 101 and 102 must be there once, nothing else.
        await Assert.That(restA.Order().ToList()).IsEquivalentTo(new List<int> { 101, 102 });
        await Assert.That(restB.Order().ToList()).IsEquivalentTo(new List<int> { 101, 102 });
    }

    [Test]
    public async Task A_broadcast_on_one_instance_reaches_the_topic_on_the_other_and_the_http_endpoint_reaches_both()
    {
        await using var onA = await PhoenixSocket.ConnectAsync(two.A.BaseUrl);
        await using var onB = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        await using var elsewhere = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        await onA.JoinAsync("realtime:room", """{"broadcast":{"self":false}}""");
        await onB.JoinAsync("realtime:room", "{}");
        await elsewhere.JoinAsync("realtime:other", "{}");

        await onA.PushAsync("realtime:room", "broadcast", """{"type":"broadcast","event":"cursor","payload":{"x":1}}""", joinRef: "1");
        var got = await onB.WaitForAsync(m => m.Event == "broadcast", TimeSpan.FromSeconds(10));

        using var http = ExternalHearth.Client(two.B);
        using var req = new HttpRequestMessage(HttpMethod.Post, "realtime/v1/api/broadcast")
        {
            Content = new StringContent("""{"messages":[{"topic":"room","event":"ping","payload":{"n":2}}]}""", Encoding.UTF8, "application/json"),
        };
        req.Headers.Authorization = new("Bearer", Jwt.For("anon"));
        using var res = await http.SendAsync(req);
        var pingA = await onA.WaitForAsync(m => m.Event == "broadcast" && m.Payload.GetProperty("event").GetString() == "ping", TimeSpan.FromSeconds(10));

        using var multiple = Assert.Multiple();
        await Assert.That(got.Payload.GetProperty("payload").GetProperty("x").GetInt32()).IsEqualTo(1);
        await Assert.That(res.StatusCode).IsEqualTo(HttpStatusCode.Accepted);
        await Assert.That(pingA.Payload.GetProperty("payload").GetProperty("n").GetInt32()).IsEqualTo(2);
        // Exactly once each: B had cursor (consumed) and gets ping once; A never sees its own cursor (self false).
        await Assert.That((await onB.CollectAsync(m => m.Event == "broadcast", Quiet)).Select(m => m.Payload.GetProperty("event").GetString()).ToList())
            .IsEquivalentTo(new List<string?> { "ping" });
        await Assert.That(await onA.CollectAsync(m => m.Event == "broadcast", Quiet)).IsEmpty();
        await Assert.That(await elsewhere.CollectAsync(m => m.Event == "broadcast", Quiet)).IsEmpty();
    }

    [Test]
    public async Task Without_the_replication_url_the_stream_would_connect_as_the_owner_and_says_what_is_missing()
    {
        // The default is --admin-database-url; hearth_owner lacks REPLICATION, so postgres_changes is refused in one clear line.
        await using var plain = await ExternalHearth.ServeAsync(two.Server, two.Db);
        await using var socket = await PhoenixSocket.ConnectAsync(plain.BaseUrl);
        var reply = await socket.JoinAsync("realtime:items", ItemsChanges);
        using var multiple = Assert.Multiple();
        await Assert.That(reply.Payload.GetProperty("status").GetString()).IsEqualTo("error");
        await Assert.That(reply.Payload.GetProperty("response").GetProperty("reason").GetString())
            .IsEqualTo("postgres_changes is not available: the --admin-database-url user lacks the REPLICATION attribute (ALTER ROLE … WITH REPLICATION, or give --database-replication-url)");
    }

    [Test]
    public async Task A_broadcast_larger_than_a_NOTIFY_payload_reaches_the_other_instance_whole()
    {
        await using var onA = await PhoenixSocket.ConnectAsync(two.A.BaseUrl);
        await using var onB = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        await onA.JoinAsync("realtime:big", "{}");
        await onB.JoinAsync("realtime:big", "{}");
        var text = string.Concat(Enumerable.Range(0, 4000).Select(i => $"é{i % 10}\u2603")); // 20,000+ bytes, non-ASCII
        await onA.PushAsync("realtime:big", "broadcast", """{"type":"broadcast","event":"blob","payload":{"text":""" + "\"" + text + "\"}}", joinRef: "1");
        var got = await onB.WaitForAsync(m => m.Event == "broadcast", TimeSpan.FromSeconds(10));
        await Assert.That(got.Payload.GetProperty("payload").GetProperty("text").GetString())
            .IsEqualTo(string.Concat(Enumerable.Range(0, 4000).Select(i => $"é{i % 10}\u2603")));
    }

    [Test]
    public async Task Presence_tracked_on_one_instance_is_in_the_state_and_diffs_of_the_other()
    {
        const string topic = "realtime:lobby";
        await using var alice = await PhoenixSocket.ConnectAsync(two.A.BaseUrl);
        await using var bob = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        await alice.JoinAsync(topic, """{"presence":{"enabled":true,"key":"alice"}}""");
        await bob.JoinAsync(topic, """{"presence":{"enabled":true,"key":"bob"}}""");
        await alice.PushAsync(topic, "presence", """{"type":"presence","event":"track","payload":{"name":"Alice"}}""", joinRef: "1");
        var aliceOnB = await bob.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("joins").TryGetProperty("alice", out _), TimeSpan.FromSeconds(10));
        await bob.PushAsync(topic, "presence", """{"type":"presence","event":"track","payload":{"name":"Bob"}}""", joinRef: "1");
        await alice.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("joins").TryGetProperty("bob", out _), TimeSpan.FromSeconds(10));

        // A client joining later on B sees both, whichever instance tracks them.
        await using var carol = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        await carol.JoinAsync(topic, """{"presence":{"enabled":true,"key":"carol"}}""");
        var state = await carol.WaitForAsync(m => m.Event == "presence_state");

        await alice.DisposeAsync();
        var aliceLeft = await carol.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("leaves").TryGetProperty("alice", out _), TimeSpan.FromSeconds(10));

        using var multiple = Assert.Multiple();
        await Assert.That(aliceOnB.Payload.GetProperty("joins").GetProperty("alice").GetProperty("metas")[0].GetProperty("name").GetString()).IsEqualTo("Alice");
        await Assert.That(state.Payload.EnumerateObject().Select(p => p.Name).Order().ToList()).IsEquivalentTo(new List<string> { "alice", "bob" });
        await Assert.That(state.Payload.GetProperty("alice").GetProperty("metas").GetArrayLength()).IsEqualTo(1);
        await Assert.That(aliceLeft.Payload.GetProperty("joins").EnumerateObject().Any()).IsFalse();
    }

    /// <summary>The slot an instance created, from its log line (read asynchronously from the process: waited for).</summary>
    private static async Task<string> SlotOfAsync(HearthProcess hearth)
    {
        string Find() => System.Text.RegularExpressions.Regex.Match(hearth.Stdout + hearth.Stderr, @"replication slot (hearth_realtime_[0-9a-f]+) created").Groups[1].Value;
        await Until(() => Task.FromResult(Find().Length > 0), TimeSpan.FromSeconds(10), "the slot's log line");
        return Find();
    }

    private Task<bool> IdleAndUnlockedAsync(string slot) => Db.ScalarAsync<bool>(two.Db.Superuser, $"""
        select exists(select 1 from pg_replication_slots where slot_name = '{slot}' and not active)
           and not exists(select 1 from pg_locks where locktype = 'advisory' and classid = 1213355057 and objid = hashtext('{slot}')::oid and granted)
        """);

    [Test]
    public async Task A_killed_instance_s_slot_is_dropped_while_a_live_instance_s_idle_slot_is_kept()
    {
        await using var onA = await PhoenixSocket.ConnectAsync(two.A.BaseUrl);
        await onA.JoinAsync("realtime:keep", ItemsChanges);
        var slotA = await SlotOfAsync(two.A);

        // C subscribes (its slot appears) and tracks a presence, then dies without a word.
        var c = await two.StartAsync();
        await using var watcher = await PhoenixSocket.ConnectAsync(two.B.BaseUrl);
        await watcher.JoinAsync("realtime:crowd", """{"presence":{"enabled":true}}""");
        var onC = await PhoenixSocket.ConnectAsync(c.BaseUrl);
        await onC.JoinAsync("realtime:crowd", """{"presence":{"enabled":true,"key":"doomed"},"postgres_changes":[{"event":"INSERT","schema":"public","table":"items"}]}""");
        await onC.PushAsync("realtime:crowd", "presence", """{"type":"presence","event":"track","payload":{}}""", joinRef: "1");
        await watcher.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("joins").TryGetProperty("doomed", out _), TimeSpan.FromSeconds(10));
        var slotC = await SlotOfAsync(c);
        await Assert.That(await SlotsAsync()).Contains(slotC);
        c.KillHard();
        await onC.DisposeAsync();

        // A stays alive, but its stream is cut while it cannot reconnect (frozen): its slot idle, its lock held.
        two.A.Signal(19);
        try
        {
            await Db.ExecAsync(two.Db.Superuser, $"select pg_terminate_backend(active_pid) from pg_replication_slots where slot_name = '{slotA}'");
            await Until(() => Db.ScalarAsync<bool>(two.Db.Superuser, $"select coalesce((select not active from pg_replication_slots where slot_name = '{slotA}'), false)"), TimeSpan.FromSeconds(10), "A's slot to be idle");
            await Until(() => IdleAndUnlockedAsync(slotC), TimeSpan.FromSeconds(10), "the dead instance's sessions to end");
            await InsertAsync(two.B, 201); // committed while A is frozen: A must still deliver it
            await two.StartAsync(); // its sweeper looks for idle, unlocked slots at start
            await Until(async () => !(await SlotsAsync()).Contains(slotC), TimeSpan.FromSeconds(40), "the dead instance's slot to be dropped");
        }
        finally { two.A.Signal(18); }
        var afterSweep = await SlotsAsync();
        var left = await watcher.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("leaves").TryGetProperty("doomed", out _), TimeSpan.FromSeconds(30));
        await onA.WaitForAsync(m => IsInsert(m, 201), TimeSpan.FromSeconds(30));
        using var multiple = Assert.Multiple();
        await Assert.That(afterSweep).Contains(slotA);
        await Assert.That(afterSweep).DoesNotContain(slotC);
        await Assert.That(left.Payload.GetProperty("joins").EnumerateObject().Any()).IsFalse();
    }
}
