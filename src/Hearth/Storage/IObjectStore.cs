namespace Hearth.Storage;

/// <summary>What was written: the byte count and the ETag (quoted MD5 hex, as S3 and Supabase give it).</summary>
public sealed record StoredFile(long Size, string ETag);

/// <summary>
/// Where object bytes live. Each object version (storage.objects.version, a UUID Hearth generates) is one
/// immutable file; object names never reach the store, so no name can point outside it. Writes are durable
/// when they return; the metadata row is committed only after that. An S3-compatible store for several
/// instances would implement this same interface.
/// </summary>
public interface IObjectStore
{
    /// <summary>Streams <paramref name="body"/> into version <paramref name="version"/>; more than <paramref name="limit"/> bytes is a 413 and leaves nothing.</summary>
    Task<StoredFile> WriteAsync(string version, Stream body, long limit, CancellationToken ct);

    /// <summary>A durable copy of one version as another (copy of an object).</summary>
    Task CopyAsync(string fromVersion, string toVersion, CancellationToken ct);

    /// <summary>The version's bytes, or null when there is no such file.</summary>
    Stream? OpenRead(string version);

    /// <summary>Removes a version's file; a missing one is fine.</summary>
    void Delete(string version);

    /// <summary>
    /// Startup: prepares the store (an unusable folder is a startup failure), drops unfinished writes, then every stored version <paramref name="isReferenced"/> says no to
    /// (written but never committed), except files changed after <paramref name="olderThan"/>.
    /// </summary>
    Task<int> SweepAsync(Func<IReadOnlyList<string>, Task<ISet<string>>> isReferenced, DateTime olderThan, CancellationToken ct);
}
