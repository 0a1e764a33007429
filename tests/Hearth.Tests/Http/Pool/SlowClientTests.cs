using System.Net.Sockets;
using System.Text;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Pool;

/// <summary>
/// A client that asks for a large response and never reads it must not hold a database connection:
/// Hearth copies the body out of PostgreSQL (spilling to a temporary file) and releases the connection
/// before it writes to the client.
/// </summary>
[ClassDataSource<SlowClientHearth>(Shared = SharedType.PerClass)]
public class SlowClientTests(SlowClientHearth hearth)
{
    private const int Stalled = 6; // three times --db-pool
    private const int Mebibytes = 16; // far more than the socket buffers and Kestrel's 64 KiB on the way

    [Test]
    public async Task Clients_that_never_read_a_large_response_hold_no_database_connection()
    {
        var sockets = new List<Socket>();
        try
        {
            for (var i = 0; i < Stalled; i++) sockets.Add(await StartStalledRequestAsync($"/rpc/big?mb={Mebibytes}"));

            // Every stalled client has the start of its response waiting unread in its socket, and none of
            // Hearth's connections is busy (before the fix: all of them waited in ClientWrite).
            var released = await PoolHearth.EventuallyAsync(async () =>
                sockets.All(s => s.Available > 0) && await hearth.ApiBackendsAsync("state <> 'idle'") == 0, TimeSpan.FromSeconds(30));
            using (Assert.Multiple())
            {
                await Assert.That(released).IsTrue().Because("all stalled responses should be out of PostgreSQL");
                await Assert.That(await hearth.ApiBackendsAsync("wait_event = 'ClientWrite'")).IsEqualTo(0);
            }

            // Other requests are served from the pool while the stalled clients still hang.
            var replies = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => Get(hearth.Http, $"items?id=eq.{i}&select=id")));
            using (Assert.Multiple())
            {
                foreach (var (r, i) in replies.Select((r, i) => (r, i + 1)))
                    await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, $$"""[{"id":{{i}}}]"""));
                await Assert.That(await hearth.ApiBackendsAsync("wait_event = 'ClientWrite'")).IsEqualTo(0);
            }

            // The stalled responses were real successes, waiting for their readers.
            foreach (var s in sockets) await Assert.That(await StatusLineAsync(s)).IsEqualTo("HTTP/1.1 200 OK");
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    /// <summary>Sends a GET on a raw socket with a tiny receive buffer, and then never reads.</summary>
    private async Task<Socket> StartStalledRequestAsync(string path)
    {
        var url = hearth.Process.BaseUrl;
        // Set before connecting, so the advertised TCP window stays small.
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(url.Host, url.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {url.Authority}\r\n\r\n"));
        return socket;
    }

    private static async Task<string> StatusLineAsync(Socket socket)
    {
        var buffer = new byte[64];
        var read = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (read < buffer.Length && Array.IndexOf(buffer, (byte)'\r', 0, read) < 0)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), timeout.Token);
            if (n == 0) break;
            read += n;
        }
        var text = Encoding.ASCII.GetString(buffer, 0, read);
        return text.Split('\r')[0];
    }
}
