using System.Security.Cryptography;
using System.Text;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Storage.StorageApi;

namespace Hearth.Tests.Storage;

/// <summary>Objects: upload (raw, multipart, upsert), download (Range, ETag), info, exists, list, move, copy, remove; the files behind them.</summary>
[ClassDataSource<StorageHearth>(Shared = SharedType.PerTestSession)]
[NotInParallel(StorageHearth.FilesKey)] // some tests count the files in the storage folder
public class ObjectTests(StorageHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Upload_then_download_gives_the_same_bytes_type_and_headers()
    {
        var user = Guid.NewGuid();
        var name = $"{user}/hello.txt";
        var up = await Upload(Http, "pub", name, "hello storage", User(user));
        await Assert.That(up.Status).IsEqualTo(200);
        await Assert.That(up.Json.GetProperty("Key").GetString()).IsEqualTo($"pub/{name}");
        await Assert.That(Guid.TryParse(up.Json.GetProperty("Id").GetString(), out _)).IsTrue();

        var down = await Download(Http, "pub", name, User(Guid.NewGuid()));
        using var all = Assert.Multiple();
        await Assert.That(down.Status).IsEqualTo(200);
        await Assert.That(down.Text).IsEqualTo("hello storage");
        await Assert.That(down.Header("Content-Type")).IsEqualTo("text/plain");
        await Assert.That(down.Header("ETag")).IsEqualTo("\"" + Convert.ToHexStringLower(MD5.HashData("hello storage"u8.ToArray())) + "\"");
        await Assert.That(down.Header("Accept-Ranges")).IsEqualTo("bytes");
        await Assert.That(down.Header("Last-Modified")).IsNotNull();
        // owner is the token's sub, as policies on storage.objects expect.
        await Assert.That(await Db.ScalarAsync<Guid>(hearth.Sql, $"select owner from storage.objects where name = '{name}'")).IsEqualTo(user);
    }

    [Test]
    public async Task Range_and_If_None_Match_answer_206_and_304_and_a_bad_range_416()
    {
        var user = Guid.NewGuid();
        var name = $"{user}/range.txt";
        await Upload(Http, "pub", name, "0123456789", User(user));
        var part = await Download(Http, "pub", name, User(user), ("Range", "bytes=2-5"));
        var suffix = await Download(Http, "pub", name, User(user), ("Range", "bytes=-3"));
        var etag = (await Download(Http, "pub", name, User(user))).Header("ETag")!;
        var cached = await Download(Http, "pub", name, User(user), ("If-None-Match", etag));
        var bad = await Download(Http, "pub", name, User(user), ("Range", "bytes=20-30"));
        using var all = Assert.Multiple();
        await Assert.That(part.Status).IsEqualTo(206);
        await Assert.That(part.Text).IsEqualTo("2345");
        await Assert.That(part.Header("Content-Range")).IsEqualTo("bytes 2-5/10");
        await Assert.That(suffix.Text).IsEqualTo("789");
        await Assert.That(cached.Status).IsEqualTo(304);
        await Assert.That(cached.Body.Length).IsEqualTo(0);
        await Assert.That(bad.Status).IsEqualTo(416);
        await Assert.That(bad.Header("Content-Range")).IsEqualTo("bytes */10");
    }

    [Test]
    public async Task Multipart_upload_takes_the_file_part_its_type_and_cacheControl()
    {
        var user = Guid.NewGuid();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("120"), "cacheControl");
        // storage-js names the file part "" (FormData.append('', blob)), which MultipartFormDataContent.Add refuses.
        var file = Bytes("PNGDATA"u8.ToArray(), "image/png");
        file.Headers.ContentDisposition = new("form-data") { Name = "\"\"", FileName = "\"avatar.png\"" };
        form.Add(file);
        var up = await Send(Http, HttpMethod.Post, $"object/pub/{user}/avatar.png", form, User(user));
        await Assert.That(up.Status).IsEqualTo(200);
        var down = await Download(Http, "pub", $"{user}/avatar.png", null, []);
        await Assert.That(down.Status).IsEqualTo(400); // authenticated route: a token is required
        var pub = await Send(Http, HttpMethod.Get, $"object/public/pub/{user}/avatar.png");
        using var all = Assert.Multiple();
        await Assert.That(pub.Status).IsEqualTo(200);
        await Assert.That(pub.Text).IsEqualTo("PNGDATA");
        await Assert.That(pub.Header("Content-Type")).IsEqualTo("image/png");
        await Assert.That(pub.Header("Cache-Control")).IsEqualTo("max-age=120");
    }

    [Test]
    public async Task A_second_upload_is_409_Duplicate_unless_upsert_which_replaces_the_file()
    {
        var user = Guid.NewGuid();
        var name = $"{user}/same.txt";
        await Upload(Http, "pub", name, "first", User(user));
        var firstFile = await hearth.FileOfAsync("pub", name);
        var dup = await Upload(Http, "pub", name, "second", User(user));
        await Assert.That(dup.ToString()).IsEqualTo("""400 {"statusCode":"409","code":"KeyAlreadyExists","error":"Duplicate","message":"The resource already exists"}""");
        var upsert = await Upload(Http, "pub", name, "third", User(user), upsert: true);
        var update = await Send(Http, HttpMethod.Put, $"object/pub/{name}", Bytes("fourth"u8.ToArray()), User(user));
        using var all = Assert.Multiple();
        await Assert.That(upsert.Status).IsEqualTo(200);
        await Assert.That(update.Status).IsEqualTo(200);
        await Assert.That((await Download(Http, "pub", name, User(user))).Text).IsEqualTo("fourth");
        // The replaced version's file is gone once the replacing transaction committed; the new one is there.
        await Assert.That(File.Exists(firstFile!)).IsFalse();
        await Assert.That(File.Exists((await hearth.FileOfAsync("pub", name))!)).IsTrue();
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, "select count(*) from hearth.storage_garbage")).IsEqualTo(0);
    }

    [Test]
    public async Task Uploads_stream_past_max_body_bytes_up_to_the_storage_limit_and_no_further()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024); // 48× --max-body-bytes
        var ok = await Send(Http, HttpMethod.Post, "object/big/three-mib.bin", Bytes(data, "application/octet-stream"), ServiceRole);
        await Assert.That(ok.Status).IsEqualTo(200);
        await Assert.That((await Download(Http, "big", "three-mib.bin", ServiceRole)).Body.SequenceEqual(data)).IsTrue();
        var tooBig = await Send(Http, HttpMethod.Post, "object/big/five-mib.bin", Bytes(new byte[5 * 1024 * 1024], "application/octet-stream"), ServiceRole);
        using var all = Assert.Multiple();
        await Assert.That(tooBig.ErrorStatus).IsEqualTo("413");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, "select count(*) from storage.objects where name = 'five-mib.bin'")).IsEqualTo(0);
        // The REST API keeps its own cap.
        var rest = await Http.PostAsync("anything", new ByteArrayContent(new byte[100_000]));
        await Assert.That((int)rest.StatusCode).IsEqualTo(413);
    }

    [Test]
    public async Task A_chunked_upload_over_the_limit_is_413_and_leaves_no_file()
    {
        var before = Directory.EnumerateFiles(hearth.StorageDir, "*", SearchOption.AllDirectories).Count();
        var content = new StreamContent(new MemoryStream(new byte[StorageHearth.Limit + 1]));
        content.Headers.ContentType = new("application/octet-stream");
        using var req = new HttpRequestMessage(HttpMethod.Post, "storage/v1/object/big/chunked.bin") { Content = content };
        req.Headers.TransferEncodingChunked = true;
        req.Headers.Authorization = new("Bearer", ServiceRole);
        using var res = await Http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        await Assert.That(body).Contains("\"statusCode\":\"413\"");
        await Assert.That(Directory.EnumerateFiles(hearth.StorageDir, "*", SearchOption.AllDirectories).Count()).IsEqualTo(before);
    }

    [Test]
    public async Task Info_and_HEAD_describe_an_object_and_a_missing_one_is_404()
    {
        var user = Guid.NewGuid();
        var name = $"{user}/info.txt";
        await Send(Http, HttpMethod.Post, $"object/pub/{name}", Bytes("12345"u8.ToArray()), User(user), ("x-metadata", Convert.ToBase64String("""{"k":"v"}"""u8.ToArray())));
        var info = await Send(Http, HttpMethod.Get, $"object/info/pub/{name}", null, User(user));
        var head = await Send(Http, HttpMethod.Head, $"object/pub/{name}", null, User(user));
        var missing = await Send(Http, HttpMethod.Get, $"object/pub/{user}/nothing.txt", null, User(user));
        using var all = Assert.Multiple();
        await Assert.That(info.Json.GetProperty("size").GetInt64()).IsEqualTo(5);
        await Assert.That(info.Json.GetProperty("content_type").GetString()).IsEqualTo("text/plain");
        await Assert.That(info.Json.GetProperty("metadata").GetProperty("k").GetString()).IsEqualTo("v");
        await Assert.That(head.Status).IsEqualTo(200);
        await Assert.That(head.ContentHeaders.ContentLength).IsEqualTo(5);
        await Assert.That(missing.ToString()).IsEqualTo("""400 {"statusCode":"404","code":"NoSuchKey","error":"not_found","message":"Object not found"}""");
    }

    [Test]
    public async Task List_shows_folders_and_files_one_level_down_with_search_limit_offset_and_sort()
    {
        var user = Guid.NewGuid();
        foreach (var n in new[] { "b.txt", "a.txt", "sub/x.txt", "sub/deeper/y.txt", "Apple.txt" })
            await Upload(Http, "pub", $"{user}/{n}", n, User(user));
        async Task<string[]> Names(string body)
        {
            var r = await Send(Http, HttpMethod.Post, "object/list/pub", JsonBody(body), User(user));
            return r.Json.EnumerateArray().Select(e => e.GetProperty("name").GetString() + (e.GetProperty("id").ValueKind == System.Text.Json.JsonValueKind.Null ? "/" : "")).ToArray();
        }
        using var all = Assert.Multiple();
        await Assert.That(string.Join(",", await Names($$"""{"prefix":"{{user}}"}"""))).IsEqualTo("Apple.txt,a.txt,b.txt,sub/");
        await Assert.That(string.Join(",", await Names($$"""{"prefix":"{{user}}/sub/"}"""))).IsEqualTo("deeper/,x.txt");
        await Assert.That(string.Join(",", await Names($$"""{"prefix":"{{user}}","search":"a"}"""))).IsEqualTo("Apple.txt,a.txt");
        await Assert.That(string.Join(",", await Names($$$"""{"prefix":"{{{user}}}","limit":2,"offset":1,"sortBy":{"column":"name","order":"desc"}}"""))).IsEqualTo("b.txt,a.txt");
        await Assert.That(string.Join(",", await Names($$"""{"prefix":"{{user}}","search":"%"}"""))).IsEqualTo("");
    }

    [Test]
    public async Task Move_renames_in_place_and_copy_makes_an_independent_object()
    {
        var user = Guid.NewGuid();
        await Upload(Http, "pub", $"{user}/from.txt", "content", User(user));
        var file = await hearth.FileOfAsync("pub", $"{user}/from.txt");
        var move = await Send(Http, HttpMethod.Post, "object/move", JsonBody($$"""{"bucketId":"pub","sourceKey":"{{user}}/from.txt","destinationKey":"{{user}}/to.txt"}"""), User(user));
        var movedFile = await hearth.FileOfAsync("pub", $"{user}/to.txt");
        var copy = await Send(Http, HttpMethod.Post, "object/copy", JsonBody($$"""{"bucketId":"pub","sourceKey":"{{user}}/to.txt","destinationKey":"{{user}}/copy.txt"}"""), User(user));
        var remove = await Send(Http, HttpMethod.Delete, $"object/pub/{user}/to.txt", null, User(user));
        var missingMove = await Send(Http, HttpMethod.Post, "object/move", JsonBody($$"""{"bucketId":"pub","sourceKey":"{{user}}/none.txt","destinationKey":"{{user}}/x.txt"}"""), User(user));
        using var all = Assert.Multiple();
        await Assert.That(move.ToString()).IsEqualTo("""200 {"message":"Successfully moved"}""");
        await Assert.That(movedFile).IsEqualTo(file); // same version, same file
        await Assert.That(copy.Json.GetProperty("Key").GetString()).IsEqualTo($"pub/{user}/copy.txt");
        await Assert.That(remove.ToString()).IsEqualTo("""200 {"message":"Successfully deleted"}""");
        await Assert.That(File.Exists(file!)).IsFalse();
        await Assert.That((await Download(Http, "pub", $"{user}/copy.txt", User(user))).Text).IsEqualTo("content");
        await Assert.That(missingMove.ErrorStatus).IsEqualTo("404");
    }

    [Test]
    public async Task Remove_many_returns_what_was_removed_and_deletes_the_files()
    {
        var user = Guid.NewGuid();
        await Upload(Http, "pub", $"{user}/1.txt", "1", User(user));
        await Upload(Http, "pub", $"{user}/2.txt", "2", User(user));
        var files = new[] { await hearth.FileOfAsync("pub", $"{user}/1.txt"), await hearth.FileOfAsync("pub", $"{user}/2.txt") };
        var removed = await Send(Http, HttpMethod.Delete, "object/pub", JsonBody($$"""{"prefixes":["{{user}}/1.txt","{{user}}/2.txt","{{user}}/3.txt"]}"""), User(user));
        using var all = Assert.Multiple();
        await Assert.That(removed.Status).IsEqualTo(200);
        await Assert.That(string.Join(",", removed.Json.EnumerateArray().Select(o => o.GetProperty("name").GetString()).Order()))
            .IsEqualTo($"{user}/1.txt,{user}/2.txt");
        await Assert.That(files.All(f => !File.Exists(f!))).IsTrue();
    }

    [Test]
    public async Task Names_never_reach_the_file_system_and_unsafe_ones_are_refused()
    {
        // HTTP paths arrive with dot segments resolved; a JSON body can still name anything S3 allows, "../" included.
        await Upload(Http, "big", "traversal-source.txt", "x", ServiceRole);
        var traversal = await Send(Http, HttpMethod.Post, "object/copy", JsonBody("""{"bucketId":"big","sourceKey":"traversal-source.txt","destinationKey":"../../../../etc/hearth-test"}"""), ServiceRole);
        var file = await hearth.FileOfAsync("big", "../../../../etc/hearth-test");
        var nulInPath = await Send(Http, HttpMethod.Post, "object/big/a%00b", Bytes("x"u8.ToArray()), ServiceRole); // Kestrel's own 400
        var nul = await Send(Http, HttpMethod.Post, "object/copy", JsonBody("""{"bucketId":"big","sourceKey":"traversal-source.txt","destinationKey":"a\u0000b"}"""), ServiceRole);
        var control = await Send(Http, HttpMethod.Post, "object/big/tab%09name", Bytes("x"u8.ToArray()), ServiceRole);
        var badBucket = await Upload(Http, "bad%7Cname", "x.txt", "x", ServiceRole);
        var unknown = await Upload(Http, "nobucket", "x.txt", "x", ServiceRole);
        using var all = Assert.Multiple();
        await Assert.That(traversal.Status).IsEqualTo(200);
        await Assert.That(Path.GetFullPath(file!).StartsWith(hearth.StorageDir + "/objects/", StringComparison.Ordinal)).IsTrue();
        await Assert.That(nulInPath.Status).IsEqualTo(400);
        await Assert.That(nul.Json.GetProperty("code").GetString()).IsEqualTo("InvalidKey");
        await Assert.That(control.Json.GetProperty("code").GetString()).IsEqualTo("InvalidKey");
        await Assert.That(badBucket.Json.GetProperty("code").GetString()).IsEqualTo("InvalidBucketName");
        await Assert.That(unknown.ToString()).IsEqualTo("""400 {"statusCode":"404","code":"NoSuchBucket","error":"Bucket not found","message":"Bucket not found"}""");
    }

    [Test]
    public async Task Authenticated_routes_need_a_valid_token()
    {
        var none = await Send(Http, HttpMethod.Get, "bucket");
        var forged = await Send(Http, HttpMethod.Get, "bucket", null, Jwt.Hs(Jwt.Claims(("role", "service_role")), secret: "another-secret-another-secret-0123456789"));
        var bogusBody = await Send(Http, HttpMethod.Post, "object/list/pub", new StringContent("{not json", Encoding.UTF8, "application/json"), ServiceRole);
        var route = await Send(Http, HttpMethod.Get, "nowhere", null, ServiceRole);
        using var all = Assert.Multiple();
        await Assert.That(none.Status).IsEqualTo(400);
        await Assert.That(none.ErrorStatus).IsEqualTo("403");
        await Assert.That(forged.Json.GetProperty("code").GetString()).IsEqualTo("AccessDenied");
        await Assert.That(bogusBody.ErrorStatus).IsEqualTo("400");
        await Assert.That(route.Status).IsEqualTo(404);
    }
}
