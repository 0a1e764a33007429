using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Hearth.Realtime;

/// <summary>
/// What a client's Phoenix messages do: heartbeat, phx_join (with broadcast, presence and postgres_changes
/// options and an access token), phx_leave, broadcast, presence track/untrack and access_token.
/// Replies are phx_reply {status, response} with the request's ref.
/// </summary>
public sealed class ChannelProtocol(RealtimeHub hub, RealtimeAuth auth, ChangeFeed changes, TimeProvider time, ILogger<ChannelProtocol> logger)
{
    public async Task HandleAsync(RealtimeClient client, PhoenixMessage msg, string? apiKey, CancellationToken ct)
    {
        if (msg.Topic == "phoenix")
        {
            if (msg.Event == "heartbeat") Reply(client, msg, ok: true, _ => { });
            CloseExpired(client);
            return;
        }
        client.Channels.TryGetValue(msg.Topic, out var channel);
        switch (msg.Event)
        {
            case "phx_join":
                await JoinAsync(client, msg, apiKey, ct);
                return;
            case "phx_leave" when channel is not null:
                Leave(client, channel);
                Reply(client, msg, ok: true, _ => { });
                client.Send(channel.JoinRef, channel.JoinRef, msg.Topic, "phx_close", w => { w.WriteStartObject(); w.WriteEndObject(); });
                return;
            case "phx_leave":
                Reply(client, msg, ok: true, _ => { });
                return;
            case "broadcast" when channel is not null:
                var payload = msg.Payload;
                var @event = msg.Broadcast?.Event ?? Str(payload, "event") ?? "";
                var inner = Prop(payload, "payload");
                hub.Broadcast(msg.Topic, channel, @event, inner, msg.Broadcast);
                if (channel.BroadcastAck && msg.Ref is not null) Reply(client, msg, ok: true, _ => { });
                return;
            case "presence" when channel is not null:
                if (!channel.PresenceEnabled)
                {
                    ReplyError(client, msg, "presence is not enabled on this channel");
                    return;
                }
                var presence = hub.Presence(msg.Topic);
                if (Str(msg.Payload, "event") == "untrack") presence.Leave(channel, hub);
                else presence.Track(channel, Prop(msg.Payload, "payload"), hub);
                Reply(client, msg, ok: true, _ => { });
                return;
            case "access_token" when channel is not null:
                RefreshToken(client, channel, Str(msg.Payload, "access_token"));
                return;
            default:
                ReplyError(client, msg, channel is null ? "unmatched topic" : $"unknown event '{msg.Event}'");
                return;
        }
    }

    private async Task JoinAsync(RealtimeClient client, PhoenixMessage msg, string? apiKey, CancellationToken ct)
    {
        var payload = msg.Payload.ValueKind == JsonValueKind.Object ? msg.Payload : default;
        var config = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.Object ? c : default;
        Subscriber subscriber;
        try { subscriber = auth.Authenticate(Str(payload, "access_token") ?? apiKey); }
        catch (RealtimeAuthException e)
        {
            ReplyError(client, msg, e.Message);
            return;
        }
        if (Bool(config, "private"))
        {
            ReplyError(client, msg, "Private channels (realtime.messages authorization) are not supported by Hearth; use a public channel");
            return;
        }
        if (client.Channels.TryRemove(msg.Topic, out var previous)) Leave(client, previous);

        var broadcast = Obj(config, "broadcast");
        var presence = Obj(config, "presence");
        var channel = new JoinedChannel(client, msg.Topic, msg.JoinRef ?? msg.Ref)
        {
            Subscriber = subscriber,
            BroadcastSelf = Bool(broadcast, "self"),
            BroadcastAck = Bool(broadcast, "ack"),
            PresenceEnabled = Bool(presence, "enabled"),
            PresenceKey = Str(presence, "key") is { Length: > 0 } key ? key : Guid.NewGuid().ToString(),
        };
        var bindings = new List<ChangeSubscription>();
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("postgres_changes", out var pgc) && pgc.ValueKind == JsonValueKind.Array)
        {
            foreach (var binding in pgc.EnumerateArray())
            {
                var @event = Str(binding, "event") ?? "*";
                var schema = Str(binding, "schema") ?? "public";
                var table = Str(binding, "table");
                var filterText = Str(binding, "filter");
                if (@event is not ("*" or "INSERT" or "UPDATE" or "DELETE"))
                {
                    ReplyError(client, msg, $"Invalid postgres_changes event '{@event}': use INSERT, UPDATE, DELETE or *");
                    return;
                }
                ChangeFilter? filter;
                try { filter = ChangeFilter.Parse(filterText); }
                catch (FormatException e)
                {
                    ReplyError(client, msg, e.Message);
                    return;
                }
                // The client matches the reply's bindings to its own in order; identical ones it never sends twice.
                bindings.Add(new ChangeSubscription(hub.NextSubscriptionId(), channel, @event, schema, table, filter, filterText));
            }
        }
        if (bindings.Count > 0)
        {
            if (changes.Unavailable is { } why)
            {
                ReplyError(client, msg, "postgres_changes is not available: " + why);
                return;
            }
            try
            {
                foreach (var b in bindings) await changes.CheckSubscriptionAsync(b, subscriber, ct);
                await changes.EnsureStreamingAsync(ct);
            }
            catch (RealtimeAuthException e)
            {
                ReplyError(client, msg, e.Message);
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Realtime: could not start the change stream: {Message}", e.Message);
                ReplyError(client, msg, "Unable to subscribe to changes: the database is not available");
                return;
            }
        }
        channel.Changes = bindings;
        client.Channels[msg.Topic] = channel;
        hub.Add(channel);
        Reply(client, msg, ok: true, w =>
        {
            w.WritePropertyName("postgres_changes");
            w.WriteStartArray();
            foreach (var b in bindings)
            {
                w.WriteStartObject();
                w.WriteNumber("id", b.Id);
                w.WriteString("event", b.Event);
                w.WriteString("schema", b.Schema);
                if (b.Table is not null) w.WriteString("table", b.Table);
                if (b.FilterText is not null) w.WriteString("filter", b.FilterText);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        if (channel.PresenceEnabled) hub.Presence(msg.Topic).SendState(channel);
        if (bindings.Count > 0) System(channel, "ok", "Subscribed to PostgreSQL", "postgres_changes");
    }

    private void Leave(RealtimeClient client, JoinedChannel channel)
    {
        client.Channels.TryRemove(new KeyValuePair<string, JoinedChannel>(channel.Topic, channel));
        hub.Remove(channel);
    }

    /// <summary>Everything a client had, when its connection ends.</summary>
    public void Disconnect(RealtimeClient client)
    {
        foreach (var channel in client.Channels.Values) Leave(client, channel);
    }

    private void RefreshToken(RealtimeClient client, JoinedChannel channel, string? token)
    {
        try
        {
            var subscriber = auth.Authenticate(token);
            if (subscriber.IsExpired(time.GetUtcNow())) throw new RealtimeAuthException("Token has expired");
            channel.Subscriber = subscriber;
        }
        catch (RealtimeAuthException e)
        {
            Shut(client, channel, e.Message);
        }
    }

    /// <summary>A channel whose token expired stops: the client is told why, then the channel closes.</summary>
    public void CloseExpired(RealtimeClient client)
    {
        var now = time.GetUtcNow();
        foreach (var channel in client.Channels.Values)
            if (channel.Subscriber.IsExpired(now)) Shut(client, channel, "Token has expired");
    }

    private void Shut(RealtimeClient client, JoinedChannel channel, string reason)
    {
        System(channel, "error", reason, "system");
        Leave(client, channel);
        client.Send(channel.JoinRef, channel.JoinRef, channel.Topic, "phx_close", w => { w.WriteStartObject(); w.WriteEndObject(); });
    }

    private static void System(JoinedChannel channel, string status, string message, string extension) =>
        channel.Client.Send(channel.JoinRef, null, channel.Topic, "system", w =>
        {
            w.WriteStartObject();
            w.WriteString("status", status);
            w.WriteString("message", message);
            w.WriteString("extension", extension);
            w.WriteString("channel", channel.SubTopic);
            w.WriteEndObject();
        });

    private static void Reply(RealtimeClient client, PhoenixMessage msg, bool ok, Action<Utf8JsonWriter> response) =>
        client.Send(msg.JoinRef, msg.Ref, msg.Topic, "phx_reply", w =>
        {
            w.WriteStartObject();
            w.WriteString("status", ok ? "ok" : "error");
            w.WritePropertyName("response");
            w.WriteStartObject();
            response(w);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    private static void ReplyError(RealtimeClient client, PhoenixMessage msg, string reason) =>
        Reply(client, msg, ok: false, w => w.WriteString("reason", reason));

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v : default;

    private static JsonElement Obj(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v : default;
}
