using Hearth.Request;
using Microsoft.AspNetCore.Http;

namespace Hearth.Tests.Request;

public class PostgrestHeadersTests
{
    [Test]
    public async Task Finds_the_headers_whatever_their_case_and_keeps_every_value()
    {
        var headers = new HeaderDictionary
        {
            ["prefer"] = new(["count=exact", "return=minimal"]),
            ["RANGE-UNIT"] = "items",
            ["Accept-profile"] = "other",
            ["content-Profile"] = "api",
            ["Accept"] = "application/json",
            ["X-Prefer"] = "ignored",
        };
        var found = PostgrestHeaders.Of(headers);
        await Assert.That(found.Prefer.ToArray()).IsEquivalentTo(new[] { "count=exact", "return=minimal" });
        await Assert.That(found.RangeUnit.ToString()).IsEqualTo("items");
        await Assert.That(found.ProfileFor("GET").ToString()).IsEqualTo("other");
        await Assert.That(found.ProfileFor("OPTIONS").ToString()).IsEqualTo("other");
        await Assert.That(found.ProfileFor("PATCH").ToString()).IsEqualTo("api");
    }

    [Test]
    public async Task Absent_headers_are_empty()
    {
        var found = PostgrestHeaders.Of(new HeaderDictionary { ["Host"] = "localhost" });
        await Assert.That(found.Prefer.Count).IsEqualTo(0);
        await Assert.That(found.RangeUnit.Count).IsEqualTo(0);
        await Assert.That(found.ProfileFor("HEAD").Count).IsEqualTo(0);
        await Assert.That(found.ProfileFor("POST").Count).IsEqualTo(0);
    }
}
