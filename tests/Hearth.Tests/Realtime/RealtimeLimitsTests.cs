using System.Net;
using System.Net.WebSockets;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Realtime;

/// <summary>Limits (HEARTH_REALTIME_MAX_CONNECTIONS=4, HEARTH_REALTIME_MAX_QUEUED_MESSAGES=20): a client too slow to read is cut off, with a phx_error, while the others go on.</summary>
[ClassDataSource<LimitedRealtimeHearth>(Shared = SharedType.PerTestSession)]
[NotInParallel("realtime-limits")]
public class RealtimeLimitsTests(LimitedRealtimeHearth hearth)
{
    [Test]
    public async Task A_client_that_stops_reading_is_disconnected_with_a_phx_error_and_the_others_get_everything()
    {
        await using var slow = await hearth.ConnectAsync(read: false);
        await using var fast = await hearth.ConnectAsync();
        await using var sender = await hearth.ConnectAsync();
        // The slow client joins without reading the reply; replies queue like everything else.
        await slow.PushAsync("realtime:flood", "phx_join", """{"config":{}}""", joinRef: "1");
        await fast.JoinAsync("realtime:flood", "{}");
        await sender.JoinAsync("realtime:flood", "{}");
        await Task.Delay(300);
        var big = new string('x', 64 * 1024);
        const int count = 200; // 12.8 MB: far more than socket buffers plus 20 queued frames
        for (var i = 0; i < count; i++)
        {
            // Paced by the reading client, so only the one that stopped reading falls behind.
            if (i % 10 == 0 && i > 0)
            {
                var before = i - 1;
                await fast.WaitForAsync(m => m.Event == "broadcast" && m.Payload.GetProperty("payload").GetProperty("i").GetInt32() == before, TimeSpan.FromSeconds(30));
            }
            await sender.PushAsync("realtime:flood", "broadcast", "{\"type\":\"broadcast\",\"event\":\"e\",\"payload\":{\"i\":" + i + ",\"pad\":\"" + big + "\"}}", joinRef: "1");
        }

        var last = await fast.WaitForAsync(m => m.Event == "broadcast" && m.Payload.GetProperty("payload").GetProperty("i").GetInt32() == count - 1, TimeSpan.FromSeconds(60));
        await Assert.That(last).IsNotNull();
        slow.StartReading(); // reads what made it into the socket, then the error, then the close
        var error = await slow.WaitForAsync(m => m.Event == "phx_error", TimeSpan.FromSeconds(30));
        using var _ = Assert.Multiple();
        await Assert.That(error.Topic).IsEqualTo("realtime:flood");
        await Assert.That(error.Payload.GetProperty("reason").GetString()!).Contains("too slow");
        for (var i = 0; i < 100 && slow.CloseStatus is null; i++) await Task.Delay(100);
        await Assert.That(slow.CloseStatus).IsEqualTo(WebSocketCloseStatus.PolicyViolation);
    }

    [Test]
    public async Task Past_the_connection_limit_a_socket_is_refused_with_429()
    {
        var open = new List<PhoenixSocket>();
        try
        {
            for (var i = 0; i < 4; i++) open.Add(await hearth.ConnectAsync());
            using var ws = new ClientWebSocket();
            ws.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => ws.ConnectAsync(PhoenixSocket.Url(hearth.Process.BaseUrl, Jwt.For("anon")), CancellationToken.None));
            await Assert.That(ws.HttpStatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        }
        finally
        {
            foreach (var s in open) await s.DisposeAsync();
        }
    }
}
