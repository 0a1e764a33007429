using System.Net.Sockets;
using System.Text;
using Hearth.Tests.Http.Writes;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Security;

/// <summary>
/// Client input found by a hostile probe: casts that smuggled SQL, and inputs that answered 5xx. Each is
/// the client's mistake (a 4xx in PostgREST's error shape, nothing written) or works as it should.
/// </summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class ClientInputTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    private const string Injection = "id::text as x from w_items as t0 where false union all select name from w_items union all select name";

    [Test]
    public async Task A_cast_is_a_type_the_database_has_never_sql_text()
    {
        using var _ = Assert.Multiple();
        var read = await Get(Http, "w_parents?select=" + Uri.EscapeDataString(Injection) + "&limit=2");
        await Assert.That(read.StatusAndJson).IsEqualTo(Error(400, "42704",
            "type \"text as x from w_items as t0 where false union all select name from w_items union all select name\" does not exist"));
        var write = await Post(Http, "w_parents?select=" + Uri.EscapeDataString(Injection), """{"id":9101,"name":"cast"}""",
            Prefer("return=representation"));
        await Assert.That(write.Code).IsEqualTo(400);
        await Assert.That(write.Json().GetProperty("code").GetString()).IsEqualTo("42704");
        await Assert.That(await Rows(Http, "w_parents?id=eq.9101")).IsEqualTo("200 []"); // nothing written
        var unknown = await Get(Http, "w_parents?select=id::no_such_type");
        await Assert.That(unknown.StatusAndJson).IsEqualTo(Error(400, "42704", "type \"no_such_type\" does not exist"));
    }

    [Test]
    public async Task Casts_to_sql_keyword_types_catalog_types_and_user_types_resolve()
    {
        await Assert.That((await Post(Http, "w_parents", """{"id":9103,"name":"casts"}""")).Code).IsEqualTo(201);
        using var _ = Assert.Multiple();
        var keywords = await Get(Http, "w_parents?select=a:id::double%20%20precision,b:id::INT,c:id::character%20varying,d:id::text,e:id::numeric&id=eq.9103");
        await Assert.That(keywords.StatusAndJson).IsEqualTo(Expect(200, """[{"a":9103,"b":9103,"c":"9103","d":"9103","e":9103}]"""));
        // A user-defined type is found on the search path: the cast reaches PostgreSQL, which refuses int → composite.
        var userType = await Get(Http, "w_parents?select=id::w_point&id=eq.9103");
        await Assert.That(userType.Code).IsEqualTo(400);
        await Assert.That(userType.Body).Contains("w_point");
        await Assert.That(userType.Json().GetProperty("code").GetString()).IsNotEqualTo("42704");
    }

    [Test]
    public async Task A_nul_byte_anywhere_in_the_query_is_400()
    {
        using var _ = Assert.Multiple();
        var path = await Get(Http, "w_parents?select=name->>a%00b");
        await Assert.That(path.Code).IsEqualTo(400);
        await Assert.That(path.Json().GetProperty("code").GetString()).IsEqualTo("PGRST100");
        var value = await Get(Http, "w_parents?name=eq.a%00b");
        await Assert.That(value.Code).IsEqualTo(400);
    }

    [Test]
    public async Task A_select_longer_than_postgresql_allows_is_400()
    {
        var select = string.Join(",", Enumerable.Repeat("id", 1700));
        var r = await Get(Http, "w_parents?select=" + select);
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "54011", "target lists can have at most 1664 entries", hint: "Select fewer columns."));
    }

    [Test]
    public async Task Invalid_utf8_in_a_body_is_400_and_nothing_is_written()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "w_parents");
        var bytes = Encoding.UTF8.GetBytes("""{"id":9102,"name":"bad X"}""");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new("application/json");
        using var response = await Http.SendAsync(request);
        using var _ = Assert.Multiple();
        await Assert.That((int)response.StatusCode).IsEqualTo(400);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("PGRST102");
        await Assert.That(await Rows(Http, "w_parents?id=eq.9102")).IsEqualTo("200 []");
    }

    [Test]
    public async Task A_chunk_size_that_overflows_is_400()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Http.BaseAddress!.Host, Http.BaseAddress.Port);
        var stream = client.GetStream();
        var request = "POST /w_parents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
                      "FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var reply = Encoding.ASCII.GetString(buffer, 0, read);
        await Assert.That(reply).StartsWith("HTTP/1.1 400");
    }

    [Test]
    public async Task Count_planned_works_on_a_function_with_arguments()
    {
        var r = await Get(Http, "rpc/w_squares?n=4&sq=gt.1", Prefer("count=planned"));
        using var _ = Assert.Multiple();
        await Assert.That(r.Code).IsIn(200, 206);
        await Assert.That(r.Json().GetArrayLength()).IsEqualTo(3);
        await Assert.That(r.Header("Content-Range")).Matches(@"^0-2/\d+$");
    }
}
