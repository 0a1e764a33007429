using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.AuthServer.AuthApi;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>The admin API with the service_role key: list, create, read, update, delete users; others are refused.</summary>
[ClassDataSource<GoTrueHearth>(Shared = SharedType.PerTestSession)]
public class AdminTests(GoTrueHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Only_the_service_role_may_use_the_admin_api()
    {
        var (access, _, _, _) = await NewUser(Http);
        using var all = Assert.Multiple();
        await Assert.That((await Send(Http, HttpMethod.Get, "admin/users", bearer: access)).ToString())
            .IsEqualTo("""403 {"code":"not_admin","message":"User not allowed"}""");
        await Assert.That((await Send(Http, HttpMethod.Get, "admin/users", bearer: Jwt.For("anon"))).ErrorCode).IsEqualTo("not_admin");
        await Assert.That((await Send(Http, HttpMethod.Get, "admin/users")).Status).IsEqualTo(401);
        await Assert.That((await Send(Http, HttpMethod.Get, "admin/users/not-a-uuid", bearer: ServiceRole)).ToString())
            .IsEqualTo("""404 {"code":"validation_failed","message":"user_id must be an UUID"}""");
        await Assert.That((await Send(Http, HttpMethod.Get, $"admin/users/{Guid.NewGuid()}", bearer: ServiceRole)).ErrorCode).IsEqualTo("user_not_found");
    }

    [Test]
    public async Task Create_read_update_and_delete_a_user()
    {
        var email = NewEmail("admin-made");
        using var all = Assert.Multiple();
        var created = await Post(Http, "admin/users",
            $$$"""{"email":"{{{email}}}","password":"{{{Password}}}","email_confirm":true,"user_metadata":{"name":"Grace"},"app_metadata":{"plan":"pro"}}""", ServiceRole);
        await Assert.That(created.Status).IsEqualTo(200);
        var id = created.Json.GetProperty("id").GetString()!;
        await Assert.That(created.Json.GetProperty("app_metadata").GetProperty("plan").GetString()).IsEqualTo("pro");
        await Assert.That(created.Json.GetProperty("app_metadata").GetProperty("provider").GetString()).IsEqualTo("email");
        await Assert.That(created.Json.GetProperty("user_metadata").GetProperty("name").GetString()).IsEqualTo("Grace");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from public.profiles where id = '{id}'")).IsEqualTo(1);
        var signIn = await SignIn(Http, email);
        await Assert.That(signIn.Status).IsEqualTo(200);
        await Assert.That(Claims(signIn.Json.GetProperty("access_token").GetString()!).GetProperty("app_metadata").GetProperty("plan").GetString()).IsEqualTo("pro");
        var duplicate = await Post(Http, "admin/users", $$"""{"email":"{{email}}"}""", ServiceRole);
        await Assert.That(duplicate.ErrorCode).IsEqualTo("email_exists");

        var read = await Send(Http, HttpMethod.Get, $"admin/users/{id}", bearer: ServiceRole);
        await Assert.That(read.Json.GetProperty("email").GetString()).IsEqualTo(email);
        var list = await Send(Http, HttpMethod.Get, "admin/users?page=1&per_page=1", bearer: ServiceRole);
        await Assert.That(list.Json.GetProperty("users").GetArrayLength()).IsEqualTo(1);
        await Assert.That(list.Json.GetProperty("aud").GetString()).IsEqualTo("authenticated");
        await Assert.That(long.Parse(list.Header("X-Total-Count")!)).IsGreaterThanOrEqualTo(1);
        await Assert.That((await Send(Http, HttpMethod.Get, "admin/users?page=x", bearer: ServiceRole)).ErrorCode).IsEqualTo("validation_failed");

        var updated = await Send(Http, HttpMethod.Put, $"admin/users/{id}", """{"password":"set by the admin","user_metadata":{"name":"Grace H."},"ban_duration":"1h"}""", ServiceRole);
        await Assert.That(updated.Status).IsEqualTo(200);
        await Assert.That(updated.Json.GetProperty("user_metadata").GetProperty("name").GetString()).IsEqualTo("Grace H.");
        await Assert.That(updated.Json.TryGetProperty("banned_until", out _)).IsTrue();
        await Assert.That((await SignIn(Http, email, "set by the admin")).ToString()).IsEqualTo("""400 {"code":"user_banned","message":"User is banned"}""");
        await Send(Http, HttpMethod.Put, $"admin/users/{id}", """{"ban_duration":"none"}""", ServiceRole);
        await Assert.That((await SignIn(Http, email, "set by the admin")).Status).IsEqualTo(200);
        await Assert.That((await Send(Http, HttpMethod.Put, $"admin/users/{id}", """{"ban_duration":"forever"}""", ServiceRole)).ErrorCode).IsEqualTo("validation_failed");

        var deleted = await Send(Http, HttpMethod.Delete, $"admin/users/{id}", bearer: ServiceRole);
        await Assert.That(deleted.ToString()).IsEqualTo("200 {}");
        await Assert.That(await Db.ScalarAsync<long>(hearth.Sql, $"select count(*) from auth.users where id = '{id}'")).IsEqualTo(0);
        await Assert.That((await Send(Http, HttpMethod.Delete, $"admin/users/{id}", bearer: ServiceRole)).ErrorCode).IsEqualTo("user_not_found");
    }
}
