using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Realtime;

/// <summary>The Phoenix channels protocol realtime-js speaks: serializers, heartbeat, join, leave, errors.</summary>
[ClassDataSource<RealtimeHearth>(Shared = SharedType.PerTestSession)]
public class PhoenixProtocolTests(RealtimeHearth hearth)
{
    [Test]
    public async Task A_heartbeat_is_answered_with_an_ok_reply_as_a_vsn_2_array()
    {
        await using var socket = await hearth.ConnectAsync();
        var @ref = await socket.PushAsync("phoenix", "heartbeat", "{}");
        var reply = await socket.ReplyAsync(@ref);
        await Assert.That(reply.Topic).IsEqualTo("phoenix");
        await Assert.That(reply.Payload.GetRawText()).IsEqualTo("""{"status":"ok","response":{}}""");
    }

    [Test]
    public async Task Vsn_1_clients_get_objects_and_a_join_reply_listing_their_bindings()
    {
        await using var socket = await hearth.ConnectAsync(vsn: "1.0.0");
        var reply = await socket.JoinAsync("realtime:v1", """{"broadcast":{"self":false},"presence":{"key":""},"postgres_changes":[{"event":"INSERT","schema":"public","table":"items"}]}""");
        using var _ = Assert.Multiple();
        await Assert.That(reply.Payload.GetProperty("status").GetString()).IsEqualTo("ok");
        var binding = reply.Payload.GetProperty("response").GetProperty("postgres_changes")[0];
        await Assert.That(binding.GetProperty("event").GetString()).IsEqualTo("INSERT");
        await Assert.That(binding.GetProperty("schema").GetString()).IsEqualTo("public");
        await Assert.That(binding.GetProperty("table").GetString()).IsEqualTo("items");
        await Assert.That(binding.GetProperty("id").ValueKind).IsEqualTo(JsonValueKind.Number);
        var system = await socket.WaitForAsync(m => m.Event == "system");
        await Assert.That(system.Payload.GetProperty("message").GetString()).IsEqualTo("Subscribed to PostgreSQL");
    }

    [Test]
    public async Task Leaving_is_acknowledged_then_the_channel_closes()
    {
        await using var socket = await hearth.ConnectAsync();
        await socket.JoinAsync("realtime:leave", "{}");
        var @ref = await socket.PushAsync("realtime:leave", "phx_leave", "{}", joinRef: "1");
        var reply = await socket.ReplyAsync(@ref);
        await Assert.That(reply.Payload.GetProperty("status").GetString()).IsEqualTo("ok");
        await socket.WaitForAsync(m => m.Event == "phx_close" && m.Topic == "realtime:leave");
    }

    [Test]
    public async Task A_push_to_a_topic_not_joined_is_an_error_reply()
    {
        await using var socket = await hearth.ConnectAsync();
        var @ref = await socket.PushAsync("realtime:never", "broadcast", """{"type":"broadcast","event":"x","payload":{}}""");
        var reply = await socket.ReplyAsync(@ref);
        await Assert.That(reply.Payload.GetRawText()).IsEqualTo("""{"status":"error","response":{"reason":"unmatched topic"}}""");
    }

    [Test]
    public async Task A_join_with_a_bad_token_or_bad_bindings_is_refused_with_a_reason()
    {
        await using var socket = await hearth.ConnectAsync();
        using var _ = Assert.Multiple();
        var forged = await socket.JoinAsync("realtime:a", "{}", Jwt.Hs("""{"role":"authenticated"}""", secret: "not-the-secret-not-the-secret-not-it"));
        await Assert.That(forged.Payload.GetProperty("status").GetString()).IsEqualTo("error");
        var expired = await socket.JoinAsync("realtime:b", "{}", Jwt.Hs($$"""{"role":"authenticated","exp":{{Jwt.Now - 3600}}}"""));
        await Assert.That(expired.Payload.GetProperty("response").GetProperty("reason").GetString()).IsEqualTo("Token has expired");
        var table = await socket.JoinAsync("realtime:c", """{"postgres_changes":[{"event":"*","schema":"public","table":"nope"}]}""");
        await Assert.That(table.Payload.GetProperty("response").GetProperty("reason").GetString()!).Contains("public.nope does not exist");
        var filter = await socket.JoinAsync("realtime:d", """{"postgres_changes":[{"event":"*","schema":"public","table":"items","filter":"id=like.1"}]}""");
        await Assert.That(filter.Payload.GetProperty("response").GetProperty("reason").GetString()!).Contains("'like' is not supported");
        var column = await socket.JoinAsync("realtime:e", """{"postgres_changes":[{"event":"*","schema":"public","table":"items","filter":"nope=eq.1"}]}""");
        await Assert.That(column.Payload.GetProperty("response").GetProperty("reason").GetString()!).Contains("column nope does not exist");
        var @event = await socket.JoinAsync("realtime:f", """{"postgres_changes":[{"event":"TRUNCATE","schema":"public","table":"items"}]}""");
        await Assert.That(@event.Payload.GetProperty("status").GetString()).IsEqualTo("error");
    }

    [Test]
    public async Task The_socket_needs_a_valid_api_key_and_a_known_serializer()
    {
        using var http = new HttpClient { BaseAddress = hearth.Process.BaseUrl };
        using var _ = Assert.Multiple();
        foreach (var (url, status) in new[]
                 {
                     ("realtime/v1/websocket?vsn=2.0.0", HttpStatusCode.Unauthorized),
                     ("realtime/v1/websocket?vsn=2.0.0&apikey=garbage", HttpStatusCode.Unauthorized),
                     ("realtime/v1/websocket?vsn=3.0.0&apikey=" + Jwt.For("anon"), HttpStatusCode.BadRequest),
                 })
        {
            using var ws = new ClientWebSocket();
            ws.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(new Uri($"ws://{hearth.Process.BaseUrl.Authority}/{url}"), CancellationToken.None));
            await Assert.That(ws.HttpStatusCode).IsEqualTo(status);
        }
        var plain = await http.GetAsync("realtime/v1/websocket?vsn=2.0.0&apikey=" + Jwt.For("anon"));
        await Assert.That(plain.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Garbage_frames_are_ignored_and_the_socket_keeps_working()
    {
        await using var socket = await hearth.ConnectAsync();
        await socket.SendBinaryAsync([9, 9, 9]);
        await socket.PushAsync("x", "y", "not json at all");
        var @ref = await socket.PushAsync("phoenix", "heartbeat", "{}");
        await socket.ReplyAsync(@ref);
    }
}
