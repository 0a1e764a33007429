using System.Text;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>--db-max-rows, the request body limit and CORS with the default (any origin) policy.</summary>
[ClassDataSource<AuthHearth>(Shared = SharedType.PerTestSession)]
public class HardeningTests(AuthHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Max_rows_caps_a_read_whatever_the_client_asks()
    {
        using var _ = Assert.Multiple();
        var all = await Get(Http, "notes?select=id&id=lte.30");
        await Assert.That(all.Json().GetArrayLength()).IsEqualTo(25);
        await Assert.That(all.Header("Content-Range")).IsEqualTo("0-24/*");
        var bigLimit = await Get(Http, "notes?select=id&id=lte.30&limit=1000");
        await Assert.That(bigLimit.Json().GetArrayLength()).IsEqualTo(25);
        var smallLimit = await Get(Http, "notes?select=id&id=lte.30&limit=3&offset=26&order=id");
        await Assert.That(smallLimit.StatusAndJson).IsEqualTo(Expect(200, """[{"id":27},{"id":28},{"id":29}]"""));
        var counted = await Get(Http, "notes?select=id&id=lte.30", Prefer("count=exact"));
        await Assert.That(counted.Code).IsEqualTo(206);
        await Assert.That(counted.Header("Content-Range")).IsEqualTo("0-24/30");
        var rpc = await Post(Http, "rpc/request_context", "{}");
        await Assert.That(rpc.Code).IsEqualTo(200); // scalar functions are not capped
    }

    [Test]
    public async Task Count_estimated_uses_the_exact_count_up_to_max_rows()
    {
        using var _ = Assert.Multiple();
        var few = await Get(Http, "notes?select=id&id=lte.5", Prefer("count=estimated"));
        await Assert.That(few.Header("Content-Range")).IsEqualTo("0-4/5");
        var many = await Get(Http, "notes?select=id&id=lte.30", Prefer("count=estimated"));
        await Assert.That(many.Code).IsEqualTo(206);
        // Beyond max-rows the planner's estimate is used, never less than what was counted.
        var total = long.Parse(many.Header("Content-Range")!.Split('/')[1]);
        await Assert.That(total).IsGreaterThanOrEqualTo(26);
    }

    [Test]
    public async Task A_body_over_the_limit_is_413_and_writes_nothing()
    {
        using var _ = Assert.Multiple();
        var big = $$"""{"id":950,"body":"{{new string('x', 5000)}}"}""";
        var r = await Post(Http, "notes", big);
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(413, "HRTH413", "Request body too large", "The limit is 4096 bytes (--max-body-bytes)."));
        await Assert.That((await Get(Http, "notes?id=eq.950")).StatusAndJson).IsEqualTo(Expect(200, "[]"));
        // Without Content-Length (chunked) the limit holds too.
        using var request = new HttpRequestMessage(HttpMethod.Post, "notes") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.TransferEncodingChunked = true;
        using var chunked = await Http.SendAsync(request);
        await Assert.That((int)chunked.StatusCode).IsEqualTo(413);
    }

    [Test]
    public async Task A_preflight_is_answered_for_any_origin_without_credentials()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "todos");
        request.Headers.Add("Origin", "http://anywhere.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "Content-Type, Prefer");
        using var r = await Http.SendAsync(request);
        string? H(string name) => r.Headers.TryGetValues(name, out var v) ? string.Join(", ", v) : null;
        using var _ = Assert.Multiple();
        await Assert.That((int)r.StatusCode).IsEqualTo(200);
        await Assert.That(H("Access-Control-Allow-Origin")).IsEqualTo("*");
        await Assert.That(H("Access-Control-Allow-Methods")).IsEqualTo("GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD");
        await Assert.That(H("Access-Control-Allow-Headers")).IsEqualTo("Authorization, Content-Type, Prefer, Accept, Accept-Language, Content-Language");
        await Assert.That(H("Access-Control-Max-Age")).IsEqualTo("86400");
        await Assert.That(H("Access-Control-Allow-Credentials")).IsNull();
    }

    [Test]
    public async Task A_cross_origin_request_gets_allow_origin_and_expose_headers_even_on_errors()
    {
        using var _ = Assert.Multiple();
        var ok = await Get(Http, "notes?id=eq.1", ("Origin", "http://anywhere.example"));
        await Assert.That(ok.Header("Access-Control-Allow-Origin")).IsEqualTo("*");
        await Assert.That(ok.Header("Access-Control-Expose-Headers")).Contains("Content-Range");
        var denied = await Get(Http, "members_only", ("Origin", "http://anywhere.example"));
        await Assert.That(denied.Code).IsEqualTo(401);
        await Assert.That(denied.Header("Access-Control-Allow-Origin")).IsEqualTo("*");
        var sameOrigin = await Get(Http, "notes?id=eq.1");
        await Assert.That(sameOrigin.Header("Access-Control-Allow-Origin")).IsNull();
    }

    [Test]
    public async Task Options_without_a_preflight_still_lists_the_allowed_methods()
    {
        var r = await Options(Http, "notes");
        await Assert.That(r.Header("Allow")).IsEqualTo("OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE");
    }
}
