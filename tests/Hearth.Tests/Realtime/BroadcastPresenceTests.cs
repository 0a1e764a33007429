using System.Net;
using System.Text;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Infrastructure.CanonicalJson;

namespace Hearth.Tests.Realtime;

/// <summary>Broadcast (self, ack, the binary frames of vsn 2.0.0, the HTTP endpoints) and Presence between sockets.</summary>
[ClassDataSource<RealtimeHearth>(Shared = SharedType.PerTestSession)]
public class BroadcastPresenceTests(RealtimeHearth hearth)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(700);

    [Test]
    public async Task A_broadcast_reaches_the_others_on_the_topic_and_the_sender_only_with_self()
    {
        await using var a = await hearth.ConnectAsync();
        await using var b = await hearth.ConnectAsync(vsn: "1.0.0");
        await using var elsewhere = await hearth.ConnectAsync();
        await a.JoinAsync("realtime:room1", """{"broadcast":{"self":false}}""");
        await b.JoinAsync("realtime:room1", """{"broadcast":{"self":true}}""");
        await elsewhere.JoinAsync("realtime:room2", "{}");

        await a.PushAsync("realtime:room1", "broadcast", """{"type":"broadcast","event":"cursor","payload":{"x":1}}""", joinRef: "1");
        var got = await b.WaitForAsync(m => m.Event == "broadcast");
        using var multiple = Assert.Multiple();
        await Assert.That(Canon(got.Payload.GetRawText())).IsEqualTo(Canon("""{"type":"broadcast","event":"cursor","payload":{"x":1}}"""));
        await Assert.That(await a.CollectAsync(m => m.Event == "broadcast", Quiet)).IsEmpty();
        await Assert.That(await elsewhere.CollectAsync(m => m.Event == "broadcast", Quiet)).IsEmpty();

        await b.PushAsync("realtime:room1", "broadcast", """{"type":"broadcast","event":"cursor","payload":{"x":2}}""", joinRef: "1");
        await b.WaitForAsync(m => m.Event == "broadcast" && m.Payload.GetProperty("payload").GetProperty("x").GetInt32() == 2);
        await a.WaitForAsync(m => m.Event == "broadcast" && m.Payload.GetProperty("payload").GetProperty("x").GetInt32() == 2);
    }

    [Test]
    public async Task With_ack_the_push_is_answered_and_without_it_it_is_not()
    {
        await using var acked = await hearth.ConnectAsync();
        await using var plain = await hearth.ConnectAsync();
        await acked.JoinAsync("realtime:ack", """{"broadcast":{"ack":true}}""");
        await plain.JoinAsync("realtime:ack", "{}");
        var r1 = await acked.PushAsync("realtime:ack", "broadcast", """{"type":"broadcast","event":"e","payload":{}}""", joinRef: "1");
        await Assert.That((await acked.ReplyAsync(r1)).Payload.GetProperty("status").GetString()).IsEqualTo("ok");
        var r2 = await plain.PushAsync("realtime:ack", "broadcast", """{"type":"broadcast","event":"e","payload":{}}""", joinRef: "1");
        await Assert.That(await plain.CollectAsync(m => m.Event == "phx_reply" && m.Ref == r2, Quiet)).IsEmpty();
    }

    [Test]
    public async Task A_binary_user_broadcast_push_of_vsn_2_arrives_as_json()
    {
        await using var sender = await hearth.ConnectAsync();
        await using var receiver = await hearth.ConnectAsync();
        await sender.JoinAsync("realtime:bin", "{}");
        await receiver.JoinAsync("realtime:bin", "{}");
        // kind 3, lengths of join_ref, ref, topic, event, metadata, encoding 1 (JSON), then the strings and the payload.
        byte[] S(string s) => Encoding.UTF8.GetBytes(s);
        var (joinRef, @ref, topic, @event, payload) = (S("1"), S("7"), S("realtime:bin"), S("moved"), S("""{"x":5,"name":"é"}"""));
        var frame = new byte[] { 3, (byte)joinRef.Length, (byte)@ref.Length, (byte)topic.Length, (byte)@event.Length, 0, 1 }
            .Concat(joinRef).Concat(@ref).Concat(topic).Concat(@event).Concat(payload).ToArray();
        await sender.SendBinaryAsync(frame);
        var got = await receiver.WaitForAsync(m => m.Event == "broadcast");
        await Assert.That(Canon(got.Payload.GetRawText())).IsEqualTo(Canon("""{"type":"broadcast","event":"moved","payload":{"x":5,"name":"é"}}"""));
    }

    [Test]
    public async Task The_http_broadcast_endpoints_deliver_to_the_topic_and_check_the_token_and_body()
    {
        await using var receiver = await hearth.ConnectAsync();
        await receiver.JoinAsync("realtime:http-room", "{}");
        using var http = new HttpClient { BaseAddress = hearth.Process.BaseUrl };
        HttpRequestMessage Post(string url, string body, string? token)
        {
            var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (token is not null) req.Headers.Authorization = new("Bearer", token);
            return req;
        }
        var anon = Jwt.For("anon");
        using var multiple = Assert.Multiple();
        var batch = await http.SendAsync(Post("realtime/v1/api/broadcast", """{"messages":[{"topic":"http-room","event":"ping","payload":{"n":1}}]}""", anon));
        await Assert.That(batch.StatusCode).IsEqualTo(HttpStatusCode.Accepted);
        var one = await receiver.WaitForAsync(m => m.Event == "broadcast");
        await Assert.That(Canon(one.Payload.GetRawText())).IsEqualTo(Canon("""{"type":"broadcast","event":"ping","payload":{"n":1}}"""));

        var single = await http.SendAsync(Post("realtime/v1/api/broadcast/http-room/events/pong", """{"n":2}""", anon));
        await Assert.That(single.StatusCode).IsEqualTo(HttpStatusCode.Accepted);
        var two = await receiver.WaitForAsync(m => m.Event == "broadcast");
        await Assert.That(two.Payload.GetProperty("event").GetString()).IsEqualTo("pong");

        var forged = await http.SendAsync(Post("realtime/v1/api/broadcast", """{"messages":[]}""", Jwt.Hs("""{"role":"anon"}""", secret: "another-secret-another-secret-another")));
        await Assert.That(forged.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        var bad = await http.SendAsync(Post("realtime/v1/api/broadcast", """{"messages":[{"event":"x"}]}""", anon));
        await Assert.That(bad.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(await bad.Content.ReadAsStringAsync()).Contains("topic");
        var notJson = await http.SendAsync(Post("realtime/v1/api/broadcast", "{", anon));
        await Assert.That(notJson.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Presence_sends_the_state_on_join_and_diffs_on_track_untrack_and_disconnect()
    {
        await using var alice = await hearth.ConnectAsync();
        var bob = await hearth.ConnectAsync();
        await alice.JoinAsync("realtime:lobby", """{"presence":{"key":"alice","enabled":true}}""");
        await alice.WaitForAsync(m => m.Event == "presence_state");
        var track = await alice.PushAsync("realtime:lobby", "presence", """{"type":"presence","event":"track","payload":{"status":"online"}}""", joinRef: "1");
        await Assert.That((await alice.ReplyAsync(track)).Payload.GetProperty("status").GetString()).IsEqualTo("ok");
        var aliceJoined = await alice.WaitForAsync(m => m.Event == "presence_diff");
        var meta = aliceJoined.Payload.GetProperty("joins").GetProperty("alice").GetProperty("metas")[0];
        using var multiple = Assert.Multiple();
        await Assert.That(meta.GetProperty("status").GetString()).IsEqualTo("online");
        await Assert.That(meta.GetProperty("phx_ref").GetString()).IsNotNull();

        await bob.JoinAsync("realtime:lobby", """{"presence":{"key":"bob","enabled":true}}""");
        var state = await bob.WaitForAsync(m => m.Event == "presence_state");
        await Assert.That(state.Payload.GetProperty("alice").GetProperty("metas")[0].GetProperty("status").GetString()).IsEqualTo("online");
        await bob.PushAsync("realtime:lobby", "presence", """{"type":"presence","event":"track","payload":{"status":"away"}}""", joinRef: "1");
        var bobJoined = await alice.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("joins").TryGetProperty("bob", out _));
        await Assert.That(bobJoined.Payload.GetProperty("joins").GetProperty("bob").GetProperty("metas")[0].GetProperty("status").GetString()).IsEqualTo("away");

        await alice.PushAsync("realtime:lobby", "presence", """{"type":"presence","event":"untrack"}""", joinRef: "1");
        var aliceLeft = await bob.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("leaves").TryGetProperty("alice", out _));
        await Assert.That(aliceLeft.Payload.GetProperty("joins").GetRawText()).IsEqualTo("{}");

        await bob.DisposeAsync(); // a dropped connection leaves too
        await alice.WaitForAsync(m => m.Event == "presence_diff" && m.Payload.GetProperty("leaves").TryGetProperty("bob", out _));
    }
}
