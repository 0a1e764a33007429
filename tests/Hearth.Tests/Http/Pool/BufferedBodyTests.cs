using System.Text;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Pool;

/// <summary>
/// Read bodies are copied out of PostgreSQL before they are sent: small ones in memory, large ones
/// (over 256 KiB) through a temporary file. Either way the client gets the whole body and its length.
/// </summary>
[ClassDataSource<DefaultPoolHearth>(Shared = SharedType.PerTestSession)]
public class BufferedBodyTests(DefaultPoolHearth hearth)
{
    [Test]
    [Arguments(0)] // "" — a few bytes, in memory
    [Arguments(1)] // 1 MiB, spilled to a file
    [Arguments(5)]
    public async Task A_body_arrives_whole_with_its_length(int mebibytes)
    {
        using var response = await hearth.Http.GetAsync($"rpc/big?mb={mebibytes}");
        var body = await response.Content.ReadAsByteArrayAsync();
        var expected = mebibytes * 1024 * 1024 + 2; // a JSON string: the x's between two quotes
        using var _ = Assert.Multiple();
        await Assert.That((int)response.StatusCode).IsEqualTo(200);
        await Assert.That(response.Content.Headers.ContentLength).IsEqualTo(expected);
        await Assert.That(body.Length).IsEqualTo(expected);
        await Assert.That(body.Count(b => b == (byte)'x')).IsEqualTo(expected - 2);
        await Assert.That(Encoding.ASCII.GetString(body, 0, 1) + Encoding.ASCII.GetString(body, body.Length - 1, 1)).IsEqualTo("\"\"");
    }

    [Test]
    public async Task Rows_csv_and_head_still_answer_as_before()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Get(hearth.Http, "items?id=lte.2&order=id")).StatusAndJson)
            .IsEqualTo(Expect(200, """[{"id":1,"name":"item 1"},{"id":2,"name":"item 2"}]"""));
        await Assert.That((await Get(hearth.Http, "items?id=lte.2&order=id", ("Accept", "text/csv"))).StatusAndBody)
            .IsEqualTo("200 id,name\n1,\"item 1\"\n2,\"item 2\"");
        var head = await Send(hearth.Http, HttpMethod.Head, "items?id=eq.1", null, null);
        await Assert.That(head.StatusAndBody).IsEqualTo("200 ");
    }
}
