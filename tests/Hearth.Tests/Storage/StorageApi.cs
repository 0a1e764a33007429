using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Storage;

/// <summary>A /storage/v1 answer: status, body, headers.</summary>
public sealed record StorageReply(int Status, byte[] Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public string Text => Encoding.UTF8.GetString(Body);
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    /// <summary>The storage error's statusCode member ("404", "409", …).</summary>
    public string? ErrorStatus => Json.TryGetProperty("statusCode", out var s) ? s.GetString() : null;
    public string? Header(string name) =>
        Headers.TryGetValues(name, out var v) || ContentHeaders.TryGetValues(name, out v) ? string.Join(",", v) : null;
    public override string ToString() => $"{Status} {Text}";
}

/// <summary>Calls /storage/v1 as storage-js does.</summary>
public static class StorageApi
{
    public static string ServiceRole => Jwt.For("service_role");

    public static string User(Guid id) => Jwt.For("authenticated", id.ToString());

    public static async Task<StorageReply> Send(HttpClient http, HttpMethod method, string path, HttpContent? content = null, string? bearer = null,
        params (string Name, string Value)[] headers)
    {
        using var req = new HttpRequestMessage(method, "storage/v1/" + path) { Content = content };
        if (bearer is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        foreach (var (name, value) in headers) req.Headers.TryAddWithoutValidation(name, value);
        using var res = await http.SendAsync(req);
        return new StorageReply((int)res.StatusCode, await res.Content.ReadAsByteArrayAsync(), res.Headers, res.Content.Headers);
    }

    public static StringContent JsonBody(string json) => new(json, Encoding.UTF8, "application/json");

    public static ByteArrayContent Bytes(byte[] bytes, string type = "text/plain")
    {
        var c = new ByteArrayContent(bytes);
        c.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
        return c;
    }

    public static Task<StorageReply> Upload(HttpClient http, string bucket, string name, string text, string bearer, string type = "text/plain", bool upsert = false) =>
        Send(http, HttpMethod.Post, $"object/{bucket}/{name}", Bytes(Encoding.UTF8.GetBytes(text), type), bearer, ("x-upsert", upsert ? "true" : "false"));

    public static Task<StorageReply> Download(HttpClient http, string bucket, string name, string? bearer, params (string, string)[] headers) =>
        Send(http, HttpMethod.Get, $"object/{bucket}/{name}", null, bearer, headers);
}

/// <summary>A Hearth with the storage fixture's buckets and policies, a shared JWT secret, a 64 KiB --max-body-bytes
/// (storage uploads must not be capped by it) and a 4 MiB storage limit.</summary>
public sealed class StorageHearth() : HearthFixture("storage", "storage_migrations")
{
    public const long Limit = 4 * 1024 * 1024;
    /// <summary>Tests that write files take turns: some count the files in the storage folder.</summary>
    public const string FilesKey = "storage-files";

    public string DataDir => Dir("data");
    public string StorageDir => Path.Combine(DataDir, "storage");
    public string Sql => Db.ConnectionString(DataDir);

    protected override Task<IEnumerable<string>> ArgsAsync() =>
        Task.FromResult<IEnumerable<string>>(["--max-body-bytes", "65536", "--storage-file-size-limit", "4MiB"]);

    protected override IDictionary<string, string> Environment => new Dictionary<string, string> { ["HEARTH_JWT_SECRET"] = Jwt.Secret };

    /// <summary>The file holding an object's bytes (named by its version).</summary>
    public async Task<string?> FileOfAsync(string bucket, string name)
    {
        var version = await Db.ScalarAsync<object>(Sql, $"select version from storage.objects where bucket_id = '{bucket}' and name = '{name.Replace("'", "''")}'");
        return version is string v ? Path.Combine(StorageDir, "objects", v[..2], v) : null;
    }
}
