using System.Buffers;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Hearth.Realtime;

/// <summary>
/// One WebSocket at /realtime/v1/websocket: a read loop hands frames to <see cref="ChannelProtocol"/>, a write
/// loop sends the client's queue. A client whose queue overflows gets a phx_error on each of its channels and a
/// close (1008); on shutdown every socket closes with 1001. Sends and receives are never cancelled while the
/// peer is expected to cooperate (cancelling either aborts a WebSocket); a peer that stops reading altogether
/// is aborted after a grace period.
/// </summary>
public sealed class RealtimeSocket(RealtimeHub hub, ChannelProtocol protocol, ILogger<RealtimeSocket> logger)
{
    private static readonly TimeSpan OverflowGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(3);

    public async Task RunAsync(HttpContext ctx, bool vsn2, string? apiKey, CancellationToken stopping)
    {
        using var ws = await ctx.WebSockets.AcceptWebSocketAsync();
        var client = new RealtimeClient(vsn2, hub.Options.MaxQueuedMessages);
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(stopping, client.Overflowed);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        using var onOverflow = client.Overflowed.Register(() => abort.CancelAfter(OverflowGrace));
        using var onStop = stopping.Register(() => abort.CancelAfter(StopGrace));
        var reader = ReadAsync(ws, client, apiKey, abort.Token);
        var writer = WriteAsync(ws, client, leave.Token, abort.Token, stopping);
        try
        {
            if (await Task.WhenAny(reader, writer) == writer)
            {
                // Overflow or shutdown: the writer sent the close; the client answers it, or is cut off.
                await Task.WhenAny(reader, Task.Delay(StopGrace, CancellationToken.None));
                if (!reader.IsCompleted) ws.Abort();
            }
            else
            {
                client.Complete(); // the writer sends what is queued, then ends
                await Task.WhenAny(writer, Task.Delay(StopGrace, CancellationToken.None));
                if (ws.State == WebSocketState.CloseReceived)
                    await Quietly(() => ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, abort.Token));
                if (!writer.IsCompleted) ws.Abort();
            }
            await Task.WhenAll(reader, writer);
        }
        finally
        {
            protocol.Disconnect(client);
            client.Close();
        }
    }

    private async Task ReadAsync(WebSocket ws, RealtimeClient client, string? apiKey, CancellationToken abort)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (ws.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await ws.ReceiveAsync(buffer.GetMemory(4096), abort);
                    buffer.Advance(result.Count);
                    if (buffer.WrittenCount > hub.Options.MaxMessageBytes)
                    {
                        ws.Abort(); // 1009 would need the writer; a client sending 1 MB frames is not one to be polite to
                        return;
                    }
                } while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close) return;
                if (client.IsOverflowed) continue;
                PhoenixMessage msg;
                try { msg = PhoenixCodec.Decode(buffer.WrittenSpan, result.MessageType == WebSocketMessageType.Binary, client.Vsn2); }
                catch (FormatException e)
                {
                    logger.LogDebug("Realtime: unreadable frame ({Message})", e.Message);
                    continue; // Phoenix ignores what it cannot decode; the client's push times out
                }
                await protocol.HandleAsync(client, msg, apiKey, abort);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
    }

    private async Task WriteAsync(WebSocket ws, RealtimeClient client, CancellationToken leave, CancellationToken abort, CancellationToken stopping)
    {
        try
        {
            while (await client.Outgoing.WaitToReadAsync(leave))
                while (!leave.IsCancellationRequested && client.TryRead(out var frame))
                    await ws.SendAsync(frame.Data, frame.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, abort);
            if (!leave.IsCancellationRequested) return; // the connection ended and the queue is sent
        }
        catch (OperationCanceledException) when (leave.IsCancellationRequested && !abort.IsCancellationRequested) { }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { return; }
        await Quietly(async () =>
        {
            if (client.IsOverflowed)
            {
                logger.LogWarning("Realtime: a client fell {Max} messages behind and was disconnected", hub.Options.MaxQueuedMessages);
                var topics = client.Channels.Keys.ToList();
                protocol.Disconnect(client);
                foreach (var topic in topics)
                {
                    var error = PhoenixCodec.Encode(client.Vsn2, null, null, topic, "phx_error", w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("reason", $"client too slow: more than {hub.Options.MaxQueuedMessages} messages waiting");
                        w.WriteEndObject();
                    });
                    await ws.SendAsync(error.Data, WebSocketMessageType.Text, true, abort);
                }
                await ws.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "too many messages waiting", abort);
            }
            else if (stopping.IsCancellationRequested)
                await ws.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", abort);
        });
    }

    private static async Task Quietly(Func<Task> action)
    {
        try { await action(); }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException) { }
    }
}
