using System.Net;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Http;

[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class ReadBasicsTests(SharedHearth hearth)
{
    [Test]
    public async Task Get_table_returns_all_rows_as_a_json_array()
    {
        var response = await hearth.Http.GetAsync("authors");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType!.MediaType).IsEqualTo("application/json");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = json.RootElement.EnumerateArray().ToList();
        await Assert.That(rows.Count).IsEqualTo(3);
        await Assert.That(rows.Select(r => r.GetProperty("name").GetString()!))
            .IsEquivalentTo(["Ursula K. Le Guin", "Stanisław Lem", "Octavia E. Butler"]);
        await Assert.That(rows[2].GetProperty("country").ValueKind).IsEqualTo(JsonValueKind.Null);
    }

    [Test]
    public async Task Json_and_array_columns_come_back_as_json()
    {
        using var json = JsonDocument.Parse(await hearth.Http.GetStringAsync("books"));
        var solaris = json.RootElement.EnumerateArray().Single(b => b.GetProperty("id").GetInt32() == 3);
        await Assert.That(solaris.GetProperty("meta").GetProperty("pages").GetInt32()).IsEqualTo(204);
        await Assert.That(solaris.GetProperty("tags")[0].GetString()).IsEqualTo("scifi");
    }

    [Test]
    public async Task Unknown_table_is_404_with_PostgREST_error_object()
    {
        var response = await hearth.Http.GetAsync("nope");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(await response.Content.ReadAsStringAsync())
            .IsEqualTo("""{"code":"PGRST205","details":null,"hint":null,"message":"Could not find the table 'public.nope' in the schema cache"}""");
    }

    [Test]
    public async Task Permission_denied_for_anon_is_401_with_the_PostgreSQL_error()
    {
        var response = await hearth.Http.GetAsync("secrets");
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        await Assert.That(json.RootElement.GetProperty("code").GetString()).IsEqualTo("42501");
        await Assert.That(json.RootElement.GetProperty("message").GetString()).IsEqualTo("permission denied for table secrets");
        await Assert.That(json.RootElement.GetProperty("details").ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(json.RootElement.GetProperty("hint").ValueKind).IsEqualTo(JsonValueKind.Null);
    }

    [Test]
    public async Task Accept_profile_selects_another_exposed_schema()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "things");
        request.Headers.Add("Accept-Profile", "other");
        var response = await hearth.Http.SendAsync(request);
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("from the other schema");
    }

    [Test]
    public async Task Accept_profile_for_a_schema_not_exposed_is_406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "authors");
        request.Headers.Add("Accept-Profile", "hearth");
        var response = await hearth.Http.SendAsync(request);
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotAcceptable);
        await Assert.That(await response.Content.ReadAsStringAsync())
            .IsEqualTo("""{"code":"PGRST106","details":null,"hint":"Only the following schemas are exposed: public, other","message":"Invalid schema: hearth"}""");
    }

    [Test]
    public async Task Options_honours_accept_profile_like_every_request()
    {
        using var other = new HttpRequestMessage(HttpMethod.Options, "things");
        other.Headers.Add("Accept-Profile", "other");
        var allowed = await hearth.Http.SendAsync(other);
        await Assert.That(allowed.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(allowed.Content.Headers.Allow.Count).IsGreaterThan(0);

        using var hidden = new HttpRequestMessage(HttpMethod.Options, "authors");
        hidden.Headers.Add("Accept-Profile", "hearth");
        var response = await hearth.Http.SendAsync(hidden);
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotAcceptable);
        await Assert.That(await response.Content.ReadAsStringAsync())
            .IsEqualTo("""{"code":"PGRST106","details":null,"hint":"Only the following schemas are exposed: public, other","message":"Invalid schema: hearth"}""");
    }

    [Test]
    public async Task Live_and_ready_answer_200_while_the_database_is_up()
    {
        await Assert.That((await hearth.Http.GetAsync("live")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await hearth.Http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);
    }
}

[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public class ApiRoleTests(SharedHearth hearth)
{
    [Test]
    public async Task Requests_run_as_anon_read_only_on_a_non_superuser_login()
    {
        var body = await hearth.Http.GetStringAsync("whoami");
        await Assert.That(body).IsEqualTo("""[{"role":"anon","login":"authenticator","login_is_superuser":false,"read_only":"on"}]""");
    }
}
