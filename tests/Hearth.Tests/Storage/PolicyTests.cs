using System.Text;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Storage.StorageApi;

namespace Hearth.Tests.Storage;

/// <summary>The policies on storage.objects decide every operation, as the token's role and sub; service_role bypasses them.</summary>
[ClassDataSource<StorageHearth>(Shared = SharedType.PerTestSession)]
[NotInParallel(StorageHearth.FilesKey)]
public class PolicyTests(StorageHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task A_user_writes_only_into_their_own_folder_and_reads_only_their_own_objects()
    {
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();
        var name = $"{alice}/secret.txt";
        var own = await Upload(Http, "private", name, "alice's", User(alice));
        var intoAlices = await Upload(Http, "private", $"{alice}/bob.txt", "bob's", User(bob));
        var anon = await Upload(Http, "private", $"{alice}/anon.txt", "anon's", Jwt.For("anon"));
        using var all = Assert.Multiple();
        await Assert.That(own.Status).IsEqualTo(200);
        await Assert.That(intoAlices.ToString()).IsEqualTo("""400 {"statusCode":"403","code":"AccessDenied","error":"Unauthorized","message":"new row violates row-level security policy"}""");
        await Assert.That(anon.ErrorStatus).IsEqualTo("403");
        // A refused upload leaves no file behind.
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from storage.objects where name like '{alice}/%'")).IsEqualTo(1);
        await Assert.That((await Download(Http, "private", name, User(alice))).Text).IsEqualTo("alice's");
        await Assert.That((await Download(Http, "private", name, User(bob))).ErrorStatus).IsEqualTo("404");
        await Assert.That((await Download(Http, "private", name, Jwt.For("anon"))).ErrorStatus).IsEqualTo("404");
        await Assert.That((await Send(Http, HttpMethod.Get, $"object/public/private/{name}")).ErrorStatus).IsEqualTo("404");
        await Assert.That((await Send(Http, HttpMethod.Post, "object/list/private", JsonBody($$"""{"prefix":"{{alice}}"}"""), User(bob))).Text).IsEqualTo("[]");
        await Assert.That((await Send(Http, HttpMethod.Delete, $"object/private/{name}", null, User(bob))).ErrorStatus).IsEqualTo("403");
        await Assert.That((await Download(Http, "private", name, ServiceRole)).Text).IsEqualTo("alice's");
    }

    [Test]
    public async Task Bucket_limits_refuse_large_files_and_other_types()
    {
        var user = Guid.NewGuid();
        var large = await Send(Http, HttpMethod.Post, $"object/private/{user}/large.txt", Bytes(new byte[65537]), User(user));
        var html = await Upload(Http, "private", $"{user}/page.html", "<p>", User(user), type: "text/html");
        var image = await Upload(Http, "private", $"{user}/pic.gif", "GIF89a", User(user), type: "image/gif");
        using var all = Assert.Multiple();
        await Assert.That(large.ToString()).IsEqualTo("""400 {"statusCode":"413","code":"EntityTooLarge","error":"Payload too large","message":"The object exceeded the maximum allowed size"}""");
        await Assert.That(html.ToString()).IsEqualTo("""400 {"statusCode":"415","code":"InvalidMimeType","error":"invalid_mime_type","message":"mime type text/html is not supported"}""");
        await Assert.That(image.Status).IsEqualTo(200);
    }

    [Test]
    public async Task Signed_urls_are_made_only_for_visible_objects_and_work_without_a_token_until_they_expire()
    {
        var alice = Guid.NewGuid();
        var name = $"{alice}/shared.txt";
        await Upload(Http, "private", name, "shared", User(alice));
        var signed = await Send(Http, HttpMethod.Post, $"object/sign/private/{name}", JsonBody("""{"expiresIn":60}"""), User(alice));
        var byBob = await Send(Http, HttpMethod.Post, $"object/sign/private/{name}", JsonBody("""{"expiresIn":60}"""), User(Guid.NewGuid()));
        var url = signed.Json.GetProperty("signedURL").GetString()!;
        var token = url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..];
        var get = await Send(Http, HttpMethod.Get, url.TrimStart('/') + "&download=");
        var other = await Send(Http, HttpMethod.Get, $"object/sign/private/{alice}/other.txt?token={token}");
        var tampered = await Send(Http, HttpMethod.Get, $"object/sign/private/{name}?token={token[..^2]}xx");
        var expired = Jwt.Hs(Jwt.Claims(("url", $"private/{name}"), ("scope", "download"), ("iat", Jwt.Now - 120), ("exp", Jwt.Now - 60)));
        var late = await Send(Http, HttpMethod.Get, $"object/sign/private/{name}?token={expired}");
        var asUpload = await Send(Http, HttpMethod.Put, $"object/upload/sign/private/{name}?token={token}", Bytes("x"u8.ToArray()));
        using var all = Assert.Multiple();
        await Assert.That(get.Status).IsEqualTo(200);
        await Assert.That(get.Text).IsEqualTo("shared");
        await Assert.That(get.Header("Content-Disposition")).IsEqualTo("attachment;");
        await Assert.That(get.Header("Expires")).IsNotNull();
        await Assert.That(byBob.ErrorStatus).IsEqualTo("404");
        await Assert.That(other.Json.GetProperty("code").GetString()).IsEqualTo("InvalidSignature");
        await Assert.That(tampered.Json.GetProperty("code").GetString()).IsEqualTo("InvalidJWT");
        await Assert.That(late.Json.GetProperty("code").GetString()).IsEqualTo("ExpiredToken");
        await Assert.That(asUpload.Json.GetProperty("code").GetString()).IsEqualTo("InvalidSignature");
    }

    [Test]
    public async Task A_signed_upload_url_is_refused_to_who_could_not_upload_and_writes_as_its_signer()
    {
        var alice = Guid.NewGuid();
        var name = $"{alice}/via-token.txt";
        var refused = await Send(Http, HttpMethod.Post, $"object/upload/sign/private/{name}", null, User(Guid.NewGuid()));
        var signed = await Send(Http, HttpMethod.Post, $"object/upload/sign/private/{name}", null, User(alice));
        var token = signed.Json.GetProperty("token").GetString()!;
        var put = await Send(Http, HttpMethod.Put, $"object/upload/sign/private/{name}?token={token}", Bytes("by token"u8.ToArray()));
        var again = await Send(Http, HttpMethod.Put, $"object/upload/sign/private/{name}?token={token}", Bytes("again"u8.ToArray()));
        using var all = Assert.Multiple();
        await Assert.That(refused.ErrorStatus).IsEqualTo("403");
        await Assert.That(put.Status).IsEqualTo(200);
        await Assert.That((await Download(Http, "private", name, User(alice))).Text).IsEqualTo("by token");
        await Assert.That(again.ErrorStatus).IsEqualTo("409");
    }

    [Test]
    public async Task Signing_many_reports_each_path()
    {
        var alice = Guid.NewGuid();
        await Upload(Http, "private", $"{alice}/1.txt", "1", User(alice));
        var many = await Send(Http, HttpMethod.Post, "object/sign/private", JsonBody($$"""{"expiresIn":60,"paths":["{{alice}}/1.txt","{{alice}}/2.txt"]}"""), User(alice));
        var items = many.Json.EnumerateArray().ToArray();
        using var all = Assert.Multiple();
        await Assert.That(items[0].GetProperty("signedURL").GetString()).StartsWith($"/object/sign/private/{alice}/1.txt?token=");
        await Assert.That(items[1].GetProperty("error").GetString()).IsEqualTo("Either the object does not exist or you do not have access to it");
        var url = items[0].GetProperty("signedURL").GetString()!;
        await Assert.That((await Send(Http, HttpMethod.Get, url.TrimStart('/'))).Text).IsEqualTo("1");
    }

    [Test]
    public async Task Rows_deleted_through_sql_lose_their_files_at_the_next_storage_write()
    {
        var user = Guid.NewGuid();
        await Upload(Http, "pub", $"{user}/by-sql.txt", "x", User(user));
        var file = await hearth.FileOfAsync("pub", $"{user}/by-sql.txt");
        await Db.ExecAsync(hearth.Sql, $"delete from storage.objects where name = '{user}/by-sql.txt'");
        await Assert.That(File.Exists(file!)).IsTrue();
        await Send(Http, HttpMethod.Delete, "object/pub", JsonBody("""{"prefixes":["nothing"]}"""), User(user));
        await Assert.That(File.Exists(file!)).IsFalse();
    }
}
