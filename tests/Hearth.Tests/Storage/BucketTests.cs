using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Storage.StorageApi;

namespace Hearth.Tests.Storage;

/// <summary>/bucket: create, list, get, update, empty, delete, as the role the token names (storage.buckets has RLS too).</summary>
[ClassDataSource<StorageHearth>(Shared = SharedType.PerTestSession)]
[NotInParallel(StorageHearth.FilesKey)]
public class BucketTests(StorageHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task The_service_role_manages_buckets()
    {
        var id = "b" + Guid.NewGuid().ToString("N")[..12];
        var created = await Send(Http, HttpMethod.Post, "bucket", JsonBody($$"""{"name":"{{id}}","public":true,"file_size_limit":"2MB","allowed_mime_types":["image/*"]}"""), ServiceRole);
        var duplicate = await Send(Http, HttpMethod.Post, "bucket", JsonBody($$"""{"name":"{{id}}"}"""), ServiceRole);
        var got = await Send(Http, HttpMethod.Get, $"bucket/{id}", null, ServiceRole);
        var updated = await Send(Http, HttpMethod.Put, $"bucket/{id}", JsonBody("""{"public":false,"file_size_limit":null}"""), ServiceRole);
        var list = await Send(Http, HttpMethod.Get, $"bucket?search={id}", null, ServiceRole);
        await Upload(Http, id, "a.png", "x", ServiceRole, type: "image/png");
        var file = await hearth.FileOfAsync(id, "a.png");
        var notEmpty = await Send(Http, HttpMethod.Delete, $"bucket/{id}", null, ServiceRole);
        var emptied = await Send(Http, HttpMethod.Post, $"bucket/{id}/empty", null, ServiceRole);
        var deleted = await Send(Http, HttpMethod.Delete, $"bucket/{id}", null, ServiceRole);
        var gone = await Send(Http, HttpMethod.Get, $"bucket/{id}", null, ServiceRole);
        using var all = Assert.Multiple();
        await Assert.That(created.ToString()).IsEqualTo($$"""200 {"name":"{{id}}"}""");
        await Assert.That(duplicate.ToString()).IsEqualTo("""400 {"statusCode":"409","code":"BucketAlreadyExists","error":"Duplicate","message":"The resource already exists"}""");
        await Assert.That(got.Json.GetProperty("file_size_limit").GetInt64()).IsEqualTo(2_000_000);
        await Assert.That(got.Json.GetProperty("public").GetBoolean()).IsTrue();
        await Assert.That(got.Json.GetProperty("allowed_mime_types")[0].GetString()).IsEqualTo("image/*");
        await Assert.That(updated.ToString()).IsEqualTo("""200 {"message":"Successfully updated"}""");
        await Assert.That(list.Json.GetArrayLength()).IsEqualTo(1);
        await Assert.That(list.Json[0].GetProperty("public").GetBoolean()).IsFalse();
        await Assert.That(list.Json[0].GetProperty("file_size_limit").ValueKind).IsEqualTo(System.Text.Json.JsonValueKind.Null);
        await Assert.That(notEmpty.ToString()).IsEqualTo("""400 {"statusCode":"409","code":"ResourceNotEmpty","error":"ResourceNotEmpty","message":"The bucket you tried to delete is not empty"}""");
        await Assert.That(emptied.Status).IsEqualTo(200);
        await Assert.That(File.Exists(file!)).IsFalse();
        await Assert.That(deleted.ToString()).IsEqualTo("""200 {"message":"Successfully deleted"}""");
        await Assert.That(gone.ErrorStatus).IsEqualTo("404");
    }

    [Test]
    public async Task Users_cannot_create_or_see_buckets_without_a_policy_and_cannot_empty_one()
    {
        var user = User(Guid.NewGuid());
        var create = await Send(Http, HttpMethod.Post, "bucket", JsonBody("""{"name":"mine"}"""), user);
        var list = await Send(Http, HttpMethod.Get, "bucket", null, user);
        var get = await Send(Http, HttpMethod.Get, "bucket/pub", null, user);
        var empty = await Send(Http, HttpMethod.Post, "bucket/pub/empty", null, user);
        var delete = await Send(Http, HttpMethod.Delete, "bucket/pub", null, user);
        using var all = Assert.Multiple();
        await Assert.That(create.ErrorStatus).IsEqualTo("403");
        await Assert.That(list.Text).IsEqualTo("[]");
        await Assert.That(get.ErrorStatus).IsEqualTo("404");
        await Assert.That(empty.Status).IsEqualTo(403);
        await Assert.That(delete.ErrorStatus).IsEqualTo("404");
    }

    [Test]
    public async Task Bad_bucket_input_is_a_400_never_a_500()
    {
        var tooBig = await Send(Http, HttpMethod.Post, "bucket", JsonBody("""{"name":"huge","file_size_limit":"1GB"}"""), ServiceRole);
        var badSize = await Send(Http, HttpMethod.Post, "bucket", JsonBody("""{"name":"x1","file_size_limit":"lots"}"""), ServiceRole);
        var badMime = await Send(Http, HttpMethod.Post, "bucket", JsonBody("""{"name":"x2","allowed_mime_types":["not a type"]}"""), ServiceRole);
        var noName = await Send(Http, HttpMethod.Post, "bucket", JsonBody("""{"public":true}"""), ServiceRole);
        var badName = await Send(Http, HttpMethod.Post, "bucket", JsonBody("""{"name":" padded"}"""), ServiceRole);
        var nothing = await Send(Http, HttpMethod.Put, "bucket/pub", JsonBody("{}"), ServiceRole);
        var array = await Send(Http, HttpMethod.Post, "bucket", JsonBody("[1]"), ServiceRole);
        using var all = Assert.Multiple();
        await Assert.That(tooBig.ErrorStatus).IsEqualTo("413");
        await Assert.That(badSize.ErrorStatus).IsEqualTo("400");
        await Assert.That(badMime.ErrorStatus).IsEqualTo("415");
        await Assert.That(noName.ErrorStatus).IsEqualTo("400");
        await Assert.That(badName.Json.GetProperty("code").GetString()).IsEqualTo("InvalidBucketName");
        await Assert.That(nothing.ErrorStatus).IsEqualTo("400");
        await Assert.That(array.ErrorStatus).IsEqualTo("400");
    }
}
