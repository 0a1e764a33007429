namespace Hearth.Storage;

/// <summary>
/// A storage error as Supabase's storage server renders it: {"statusCode":"404","code":"NoSuchKey",
/// "error":"not_found","message":"Object not found"}. Like that server, the HTTP status is 400 for a
/// client's mistake whatever statusCode says (storage-js reads both), except where it sends another.
/// </summary>
public sealed class StorageException(int statusCode, string code, string error, string message, int httpStatus = 400) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
    public string Code { get; } = code;
    public string Error { get; } = error;
    public int HttpStatus { get; } = httpStatus;
}

/// <summary>The errors /storage/v1 answers with (codes, texts and statuses of supabase/storage).</summary>
public static class StorageErrors
{
    public static StorageException NoSuchBucket() => new(404, "NoSuchBucket", "Bucket not found", "Bucket not found");
    public static StorageException NoSuchKey() => new(404, "NoSuchKey", "not_found", "Object not found");
    public static StorageException InvalidBucketName() => new(400, "InvalidBucketName", "Invalid Input", "Bucket name invalid");
    public static StorageException InvalidKey(string key) => new(400, "InvalidKey", "InvalidKey", $"Invalid key: {key}");
    public static StorageException Duplicate() => new(409, "KeyAlreadyExists", "Duplicate", "The resource already exists");
    public static StorageException BucketExists() => new(409, "BucketAlreadyExists", "Duplicate", "The resource already exists");
    public static StorageException BucketNotEmpty() => new(409, "ResourceNotEmpty", "ResourceNotEmpty", "The bucket you tried to delete is not empty");
    public static StorageException AccessDenied(string message, int httpStatus = 400) => new(403, "AccessDenied", "Unauthorized", message, httpStatus);
    public static StorageException RlsRefused() => AccessDenied("new row violates row-level security policy");
    public static StorageException EntityTooLarge() => new(413, "EntityTooLarge", "Payload too large", "The object exceeded the maximum allowed size");
    public static StorageException InvalidMimeType(string mime) => new(415, "InvalidMimeType", "invalid_mime_type", $"mime type {mime} is not supported");
    public static StorageException InvalidRequest(string message) => new(400, "InvalidRequest", "InvalidRequest", message);
    public static StorageException NoContent() => InvalidRequest("No content provided");
    public static StorageException InvalidFileSizeLimit() => InvalidRequest("Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B");
    public static StorageException InvalidJwt(string message) => new(400, "InvalidJWT", "InvalidJWT", message);
    public static StorageException InvalidSignature(string message = "Invalid signature") => new(400, "InvalidSignature", "InvalidSignature", message);
    public static StorageException ExpiredSignature() => new(400, "ExpiredToken", "ExpiredToken", "The provided token has expired.");
    public static StorageException NotFound() => new(404, "NotFound", "Not Found", "Route not found", 404);
    public static StorageException MethodNotAllowed() => new(405, "InvalidRequest", "Method Not Allowed", "Method not allowed", 405);
    public static StorageException Internal(string message = "Internal server error") => new(500, "InternalError", "Internal", message, 500);
    public static StorageException DatabaseTimeout() => new(544, "DatabaseTimeout", "DatabaseTimeout", "The connection to the database timed out", 544);
}
