using System.Text.Json;

namespace Hearth.Realtime;

/// <summary>A change as the dispatcher prepared it: rows as JSON, what the subscriber's role may select, its stream position.</summary>
public sealed record ChangeDelivery(RowChange Change, JsonDocument? Record, JsonDocument? Old, TableGrant Grant, string CommitTimestamp, ChangePosition Position);

/// <summary>A subscriber that decides itself whether a change is for it and how it is written (a change stream).</summary>
public interface IChangeSink
{
    ValueTask DeliverAsync(ChangeDelivery delivery, CancellationToken ct);
}
