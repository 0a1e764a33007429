using System.Net;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Realtime;

/// <summary>
/// The replication slot exists only while someone subscribes to postgres_changes, and a restart of PostgreSQL
/// under connected clients loses and repeats nothing.
/// </summary>
[ClassDataSource<SlotRealtimeHearth>(Shared = SharedType.PerClass)]
[NotInParallel("realtime-slot")]
public class SlotLifecycleTests(SlotRealtimeHearth hearth)
{
    private const string Slot = "hearth_realtime";

    private Task<long> SlotCount() => Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from pg_replication_slots where slot_name = '{Slot}'");

    private static async Task Until(Func<Task<bool>> check, TimeSpan timeout, string what)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            try { if (await check()) return; }
            catch (Npgsql.NpgsqlException) { } // while PostgreSQL restarts
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("waited for " + what);
    }

    private static IEnumerable<long> Ids(IEnumerable<PhoenixSocket.Message> messages) =>
        messages.Select(m => m.Payload.GetProperty("data").GetProperty("record").GetProperty("id").GetInt64());

    [Test]
    public async Task The_cluster_runs_with_wal_level_logical_and_a_slot_lives_only_while_someone_subscribes()
    {
        await Assert.That(await Db.ScalarAsync<string>(hearth.Sql, "show wal_level")).IsEqualTo("logical");
        // The class's other test may have left a slot in its idle grace period: it must go by itself first.
        await Until(async () => await SlotCount() == 0, TimeSpan.FromSeconds(30), "no slot before anyone subscribes");

        var socket = await hearth.ConnectAsync();
        await socket.JoinAsync("realtime:slot", """{"postgres_changes":[{"event":"*","schema":"public","table":"items"}]}""");
        await Assert.That(await SlotCount()).IsEqualTo(1);
        // Broadcast-only channels need no slot; the slot outlives a quick reconnect, then goes.
        await socket.DisposeAsync();
        await Assert.That(await SlotCount()).IsEqualTo(1);
        await Until(async () => await SlotCount() == 0, TimeSpan.FromSeconds(30), "the idle slot to be dropped");
    }

    [Test]
    public async Task A_restart_of_PostgreSQL_under_a_connected_client_neither_loses_nor_repeats_changes()
    {
        await using var socket = await hearth.ConnectAsync();
        await socket.JoinAsync("realtime:crash", """{"postgres_changes":[{"event":"INSERT","schema":"public","table":"items"}]}""");
        await Db.ExecAsync(hearth.Sql, "insert into items values (1, 'before', 1, false)");
        await socket.WaitForAsync(m => m.Event == "postgres_changes");

        var postmaster = PostgresProcesses.PostmasterPid(hearth.DataDir)!.Value;
        Signals.Send(postmaster, Signals.SigKill);
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));
        // Written as soon as PostgreSQL is back — before Hearth's replication stream reconnects, most likely.
        await Until(async () =>
        {
            await Db.ExecAsync(hearth.Sql, "insert into items values (2, 'right after', 2, false)");
            return true;
        }, TimeSpan.FromSeconds(60), "PostgreSQL to accept writes again");
        await Db.ExecAsync(hearth.Sql, "insert into items values (3, 'later', 3, false)");

        await socket.WaitForAsync(m => m.Event == "postgres_changes" && Ids([m]).Single() == 3, TimeSpan.FromSeconds(60));
        var rest = await socket.CollectAsync(m => m.Event == "postgres_changes", TimeSpan.FromSeconds(2));
        // 1 arrived before the crash and must not come again; 2 and 3 exactly once (3 consumed above).
        await Assert.That(Ids(rest).ToList()).IsEquivalentTo(new List<long> { 2 });
        using var http = new HttpClient { BaseAddress = hearth.Process.BaseUrl };
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }
}
