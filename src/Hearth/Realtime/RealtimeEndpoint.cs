using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Hearth.Realtime;

/// <summary>
/// /realtime/v1: the WebSocket (<c>/websocket?apikey=…&amp;vsn=…</c>) and the HTTP broadcast endpoints supabase-js
/// uses when the socket is closed (<c>POST /api/broadcast</c> with {messages: [...]}) or with httpSend()
/// (<c>POST /api/broadcast/&lt;topic&gt;/events/&lt;event&gt;</c>). Errors are {"message": …} with a 4xx.
/// </summary>
public sealed class RealtimeEndpoint(RealtimeHub hub, RealtimeSocket socket, RealtimeAuth auth, IHostApplicationLifetime lifetime)
{
    public const string Prefix = "/realtime/v1";

    /// <summary><see cref="Prefix"/> as a PathString, made once: converting the string costs a decode per request.</summary>
    public static readonly Microsoft.AspNetCore.Http.PathString PrefixPath = new(Prefix);

    public async Task HandleAsync(HttpContext ctx, PathString rest)
    {
        var path = rest.Value?.TrimEnd('/') ?? "";
        if (path == "/websocket")
        {
            await WebSocketAsync(ctx);
            return;
        }
        if (path == "/api/broadcast" && HttpMethods.IsPost(ctx.Request.Method))
        {
            await BroadcastAsync(ctx, null, null);
            return;
        }
        var parts = path.Split('/');
        // /api/broadcast/<topic>/events/<event>
        if (parts is ["", "api", "broadcast", var topic, "events", var @event] && HttpMethods.IsPost(ctx.Request.Method))
        {
            await BroadcastAsync(ctx, Uri.UnescapeDataString(topic), Uri.UnescapeDataString(@event));
            return;
        }
        await ErrorAsync(ctx, 404, "Not found");
    }

    private async Task WebSocketAsync(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            await ErrorAsync(ctx, 400, "Expected a WebSocket upgrade");
            return;
        }
        var vsn = ctx.Request.Query["vsn"].ToString();
        if (vsn is not ("" or PhoenixCodec.Vsn1 or PhoenixCodec.Vsn2))
        {
            await ErrorAsync(ctx, 400, $"Unsupported serializer version '{vsn}': use 1.0.0 or 2.0.0");
            return;
        }
        var apiKey = ctx.Request.Query["apikey"].ToString() is { Length: > 0 } k ? k : ctx.Request.Headers["apikey"].ToString();
        if (apiKey.Length == 0)
        {
            await ErrorAsync(ctx, 401, "No API key found in request");
            return;
        }
        try { auth.Authenticate(apiKey); }
        catch (RealtimeAuthException e)
        {
            await ErrorAsync(ctx, 401, "Invalid API key: " + e.Message);
            return;
        }
        if (!hub.TryOpenConnection())
        {
            await ErrorAsync(ctx, 429, $"Too many connections: this server accepts {hub.Options.MaxConnections}");
            return;
        }
        try { await socket.RunAsync(ctx, vsn == PhoenixCodec.Vsn2, apiKey, lifetime.ApplicationStopping); }
        finally { hub.CloseConnection(); }
    }

    private async Task BroadcastAsync(HttpContext ctx, string? topic, string? @event)
    {
        try { auth.Authenticate(Auth.Authenticator.BearerToken(ctx.Request.Headers.Authorization.ToString()) ?? ctx.Request.Headers["apikey"].ToString()); }
        catch (RealtimeAuthException e)
        {
            await ErrorAsync(ctx, 401, e.Message);
            return;
        }
        JsonDocument body;
        try { body = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted); }
        catch (JsonException)
        {
            await ErrorAsync(ctx, 400, "The body is not valid JSON");
            return;
        }
        using (body)
        {
            var root = body.RootElement;
            if (topic is not null)
            {
                if (ctx.Request.Query["private"] == "true")
                {
                    await ErrorAsync(ctx, 400, "Private channels are not supported by Hearth");
                    return;
                }
                hub.Broadcast("realtime:" + topic, null, @event!, root, null);
            }
            else
            {
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
                {
                    await ErrorAsync(ctx, 400, "Expected {\"messages\": [{\"topic\", \"event\", \"payload\"}]}");
                    return;
                }
                foreach (var m in messages.EnumerateArray())
                {
                    if (m.ValueKind != JsonValueKind.Object || !m.TryGetProperty("topic", out var t) || t.ValueKind != JsonValueKind.String ||
                        !m.TryGetProperty("event", out var e) || e.ValueKind != JsonValueKind.String)
                    {
                        await ErrorAsync(ctx, 400, "Each message needs a string topic and event");
                        return;
                    }
                    if (m.TryGetProperty("private", out var p) && p.ValueKind == JsonValueKind.True)
                    {
                        await ErrorAsync(ctx, 400, "Private channels are not supported by Hearth");
                        return;
                    }
                }
                foreach (var m in messages.EnumerateArray())
                    hub.Broadcast("realtime:" + m.GetProperty("topic").GetString(), null, m.GetProperty("event").GetString()!,
                        m.TryGetProperty("payload", out var payload) ? payload : default, null);
            }
        }
        ctx.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private static async Task ErrorAsync(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        await using var w = new Utf8JsonWriter(ctx.Response.Body);
        w.WriteStartObject();
        w.WriteString("message", message);
        w.WriteEndObject();
    }
}
