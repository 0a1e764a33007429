namespace Hearth.Storage;

/// <summary>
/// Which bucket and object names the storage server accepts: S3-safe characters only, as Supabase's
/// (no control characters or NUL). Names never become file paths here (files are named by version), so
/// this is about compatibility, not traversal.
/// </summary>
public static class StorageNames
{
    private const string Punctuation = "_/!.*'() &$=@;:+,?-";

    public static string Key(string? key)
    {
        if (string.IsNullOrEmpty(key) || !key.All(c => char.IsAsciiLetterOrDigit(c) || Punctuation.Contains(c))) throw StorageErrors.InvalidKey(key ?? "");
        return key;
    }

    public static string Bucket(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 100 || !name.All(c => c != '/' && (char.IsAsciiLetterOrDigit(c) || Punctuation.Contains(c))))
            throw StorageErrors.InvalidBucketName();
        return name;
    }
}
