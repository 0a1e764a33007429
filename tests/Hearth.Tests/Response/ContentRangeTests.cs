using Hearth.Response;

namespace Hearth.Tests.Response;

public class ContentRangeTests
{
    [Test]
    [Arguments(0L, 1L, null, "0-0/*")]
    [Arguments(0L, 20L, 10000L, "0-19/10000")]
    [Arguments(10L, 5L, 100L, "10-14/100")]
    [Arguments(0L, 0L, null, "*/*")]
    [Arguments(0L, 0L, 0L, "*/0")]
    [Arguments(9223372036854775000L, 1L, 9223372036854775807L, "9223372036854775000-9223372036854775000/9223372036854775807")]
    public async Task Formats_PostgRESTs_range_header(long offset, long pageTotal, long? total, string expected) =>
        await Assert.That(ReadResponse.ContentRange(offset, pageTotal, total)).IsEqualTo(expected);
}
