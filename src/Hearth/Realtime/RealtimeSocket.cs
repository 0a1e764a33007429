using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Realtime;

/// <summary>
/// One WebSocket at /realtime/v1/websocket: reads frames and hands them to <see cref="ChannelProtocol"/>, writes
/// the client's queue. A client whose queue overflows gets a phx_error on each of its channels and is
/// disconnected (close 1008); on shutdown every socket closes with 1001.
/// </summary>
public sealed class RealtimeSocket(RealtimeHub hub, ChannelProtocol protocol, ILogger<RealtimeSocket> logger)
{
    public async Task RunAsync(HttpContext ctx, bool vsn2, string? apiKey, CancellationToken stopping)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var client = new RealtimeClient(vsn2, hub.Options.MaxQueuedMessages);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping, client.Overflowed);
        var writer = WriteAsync(ws, client, done.Token);
        try
        {
            await ReadAsync(ws, client, apiKey, done.Token);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
        finally
        {
            var topics = client.Channels.Keys.ToList();
            protocol.Disconnect(client);
            client.Complete();
            await done.CancelAsync();
            await writer;
            await CloseAsync(ws, client, topics, stopping.IsCancellationRequested);
        }
    }

    private async Task ReadAsync(WebSocket ws, RealtimeClient client, string? apiKey, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (ws.State == WebSocketState.Open)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await ws.ReceiveAsync(buffer.GetMemory(4096), ct);
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > hub.Options.MaxMessageBytes)
                {
                    await ws.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "message too big", CancellationToken.None);
                    return;
                }
            } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close) return;
            PhoenixMessage msg;
            try { msg = PhoenixCodec.Decode(buffer.WrittenSpan, result.MessageType == WebSocketMessageType.Binary, client.Vsn2); }
            catch (FormatException e)
            {
                logger.LogDebug("Realtime: unreadable frame ({Message})", e.Message);
                continue; // Phoenix ignores what it cannot decode; the client's push times out
            }
            await protocol.HandleAsync(client, msg, apiKey, ct);
        }
    }

    private static async Task WriteAsync(WebSocket ws, RealtimeClient client, CancellationToken ct)
    {
        try
        {
            await foreach (var frame in client.Outgoing.ReadAllAsync(ct))
                await ws.SendAsync(frame.Data, frame.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, ct);
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
    }

    private async Task CloseAsync(WebSocket ws, RealtimeClient client, List<string> topics, bool stopping)
    {
        if (ws.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            if (client.IsOverflowed)
            {
                logger.LogWarning("Realtime: a client fell {Max} messages behind and was disconnected", hub.Options.MaxQueuedMessages);
                foreach (var channel in topics)
                {
                    var frame = PhoenixCodec.Encode(client.Vsn2, null, null, channel, "phx_error", w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("reason", "client too slow: more than " + hub.Options.MaxQueuedMessages + " messages waiting");
                        w.WriteEndObject();
                    });
                    await ws.SendAsync(frame.Data, WebSocketMessageType.Text, true, timeout.Token);
                }
                await ws.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "too many messages waiting", timeout.Token);
            }
            else if (stopping)
                await ws.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", timeout.Token);
            else
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }
}
