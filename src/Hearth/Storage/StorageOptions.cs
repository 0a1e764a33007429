namespace Hearth.Storage;

/// <summary>/storage/v1's settings: where files live and the global upload limit.</summary>
public sealed record StorageOptions
{
    /// <summary>Supabase's default upload limit (50 MiB), also the Supabase CLI's [storage] file_size_limit.</summary>
    public const long DefaultFileSizeLimit = 50L * 1024 * 1024;

    /// <summary>--storage-dir; null: &lt;data-dir&gt;/storage.</summary>
    public string? Dir { get; init; }

    /// <summary>Largest object accepted; a bucket's own file_size_limit can only lower it.</summary>
    public long FileSizeLimit { get; init; } = DefaultFileSizeLimit;

    /// <summary>Seconds a signed upload URL stays valid (Supabase's upload signed-URL expiration: 2 hours).</summary>
    public int SignedUploadExpirySeconds { get; init; } = 7200;

    public string ResolveDir(HearthOptions hearth) => Path.GetFullPath(Dir ?? Path.Combine(hearth.DataDir, "storage"));
}
