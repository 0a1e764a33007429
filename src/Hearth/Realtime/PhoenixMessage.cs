using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>
/// One Phoenix channels message: [join_ref, ref, topic, event, payload]. A user broadcast that arrived as a
/// binary frame (realtime-js' vsn 2.0.0 serializer) keeps its event and raw bytes in <see cref="Broadcast"/>.
/// </summary>
public sealed record PhoenixMessage(string? JoinRef, string? Ref, string Topic, string Event, JsonElement Payload)
{
    public BinaryBroadcast? Broadcast { get; init; }
}

/// <summary>A user broadcast's event and payload as sent: JSON text (Json true) or opaque bytes.</summary>
public sealed record BinaryBroadcast(string Event, byte[] Payload, bool Json, string? MetaJson);

/// <summary>A frame ready for the socket.</summary>
public readonly record struct Frame(byte[] Data, bool Binary);
