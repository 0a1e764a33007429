using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Realtime;

/// <summary>
/// A Phoenix channels client over a real WebSocket, speaking what realtime-js sends: vsn 2.0.0 arrays
/// [join_ref, ref, topic, event, payload] (or 1.0.0 objects). Received messages are kept in order.
/// </summary>
public sealed class PhoenixSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _ws = new();
    private readonly Channel<Message> _inbox = Channel.CreateUnbounded<Message>();
    private readonly List<Message> _seen = [];
    private readonly bool _vsn2;
    private int _ref;
    private Task? _reader;

    public sealed record Message(string? JoinRef, string? Ref, string Topic, string Event, JsonElement Payload);

    private PhoenixSocket(bool vsn2) => _vsn2 = vsn2;

    public WebSocketCloseStatus? CloseStatus => _ws.CloseStatus;

    public static Uri Url(Uri baseUrl, string? apiKey, string vsn = "2.0.0") =>
        new($"ws://{baseUrl.Authority}/realtime/v1/websocket?vsn={vsn}" + (apiKey is null ? "" : "&apikey=" + Uri.EscapeDataString(apiKey)));

    public static async Task<PhoenixSocket> ConnectAsync(Uri baseUrl, string? apiKey = null, string vsn = "2.0.0", bool read = true)
    {
        var socket = new PhoenixSocket(vsn == "2.0.0");
        await socket._ws.ConnectAsync(Url(baseUrl, apiKey ?? Jwt.For("anon"), vsn), CancellationToken.None);
        if (read) socket.StartReading();
        return socket;
    }

    public void StartReading() => _reader ??= Task.Run(ReadAsync);

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult r;
                do
                {
                    r = await _ws.ReceiveAsync(new ArraySegment<byte>(buffer, count, buffer.Length - count), CancellationToken.None);
                    count += r.Count;
                } while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
                if (r.MessageType == WebSocketMessageType.Close) break;
                var root = JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement;
                var msg = _vsn2
                    ? new Message(root[0].GetString(), root[1].GetString(), root[2].GetString()!, root[3].GetString()!, root[4].Clone())
                    : new Message(Str(root, "join_ref"), Str(root, "ref"), root.GetProperty("topic").GetString()!, root.GetProperty("event").GetString()!, root.GetProperty("payload").Clone());
                await _inbox.Writer.WriteAsync(msg);
            }
        }
        catch (WebSocketException) { }
        finally { _inbox.Writer.TryComplete(); }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Sends a message and returns its ref.</summary>
    public async Task<string> PushAsync(string topic, string @event, string payloadJson, string? joinRef = null)
    {
        var @ref = (++_ref).ToString();
        var text = _vsn2
            ? $"[{Json(joinRef)},{Json(@ref)},{Json(topic)},{Json(@event)},{payloadJson}]"
            : $$"""{"join_ref":{{Json(joinRef)}},"ref":{{Json(@ref)}},"topic":{{Json(topic)}},"event":{{Json(@event)}},"payload":{{payloadJson}}}""";
        await _ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);
        return @ref;
    }

    public Task SendBinaryAsync(byte[] frame) => _ws.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);

    private static string Json(string? s) => s is null ? "null" : "\"" + JsonEncodedText.Encode(s) + "\"";

    /// <summary>The first message (seen before or arriving within the timeout) that matches.</summary>
    public async Task<Message> WaitForAsync(Func<Message, bool> match, TimeSpan? timeout = null)
    {
        lock (_seen)
        {
            var i = _seen.FindIndex(m => match(m));
            if (i >= 0) { var hit = _seen[i]; _seen.RemoveAt(i); return hit; }
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(cts.Token))
                while (_inbox.Reader.TryRead(out var m))
                {
                    if (match(m)) return m;
                    lock (_seen) _seen.Add(m);
                }
        }
        catch (OperationCanceledException) { }
        throw new TimeoutException("no matching message; seen: " + string.Join(" | ", _seen.TakeLast(5).Select(m => Short($"{m.Topic} {m.Event} {m.Payload}"))) + (_inbox.Reader.Completion.IsCompleted ? " (socket closed)" : ""));
    }

    private static string Short(string s) => s.Length > 200 ? s[..200] + "…" : s;

    public Task<Message> ReplyAsync(string @ref, TimeSpan? timeout = null) => WaitForAsync(m => m.Event == "phx_reply" && m.Ref == @ref, timeout);

    /// <summary>Everything that arrived within <paramref name="wait"/> and matches (consumed).</summary>
    public async Task<List<Message>> CollectAsync(Func<Message, bool> match, TimeSpan wait)
    {
        await Task.Delay(wait);
        var found = new List<Message>();
        while (_inbox.Reader.TryRead(out var m)) lock (_seen) _seen.Add(m);
        lock (_seen)
        {
            found.AddRange(_seen.Where(match));
            _seen.RemoveAll(m => match(m));
        }
        return found;
    }

    /// <summary>Joins <paramref name="topic"/> and returns the reply (its payload is {status, response}).</summary>
    public async Task<Message> JoinAsync(string topic, string configJson, string? accessToken = null)
    {
        var token = accessToken is null ? "" : $",\"access_token\":{Json(accessToken)}";
        var @ref = await PushAsync(topic, "phx_join", $"{{\"config\":{configJson}{token}}}", joinRef: (_ref + 1).ToString());
        return await ReplyAsync(@ref);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException) { }
        _ws.Abort();
        _ws.Dispose();
        if (_reader is not null) await _reader.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}
