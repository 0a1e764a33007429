using System.Text.Json.Serialization;

namespace Hearth.Backup;

/// <summary>
/// The first entry of a backup archive (<see cref="BackupArchive.ManifestEntry"/>): what it holds and
/// the WAL range that makes the cluster copy consistent.
/// </summary>
public sealed record BackupManifest(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("hearth_version")] string HearthVersion,
    [property: JsonPropertyName("postgres_version")] string PostgresVersion,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("start_lsn")] string StartLsn,
    [property: JsonPropertyName("label")] string Label);

/// <summary>The last entry: written only after everything else, so a truncated archive is recognised.</summary>
public sealed record BackupEnd(
    [property: JsonPropertyName("stop_lsn")] string StopLsn,
    [property: JsonPropertyName("entries")] int Entries,
    [property: JsonPropertyName("finished_at")] DateTimeOffset FinishedAt);

/// <summary>POST /backup's answer on the admin port.</summary>
public sealed record BackupTaken(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("bytes")] long Bytes,
    [property: JsonPropertyName("seconds")] double Seconds);

public sealed record AdminMessage([property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(BackupManifest))]
[JsonSerializable(typeof(BackupTaken))]
[JsonSerializable(typeof(AdminMessage))]
[JsonSerializable(typeof(BackupEnd))]
internal sealed partial class BackupJsonContext : JsonSerializerContext;
