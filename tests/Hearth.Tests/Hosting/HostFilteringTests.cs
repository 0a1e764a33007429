using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// Hearth leaves ASP.NET Core's host filtering out of its pipeline (it let every request through and cost time on
/// each), unless an AllowedHosts environment variable asks for it, as in any ASP.NET Core app.
/// </summary>
public class HostFilteringTests
{
    private static async Task<int> StatusFor(HearthProcess hearth, string host)
    {
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Get, "authors");
        request.Headers.Host = host;
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Test]
    public async Task Any_host_is_served_unless_AllowedHosts_names_the_hosts()
    {
        using var dir = new TempDir("host-filtering");
        var migrations = RepoPaths.Fixture("migrations");
        await using (var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), migrations))
        {
            await Assert.That(await StatusFor(hearth, "anything.example")).IsEqualTo(200);
        }
        var env = new Dictionary<string, string> { ["AllowedHosts"] = "api.example" };
        await using (var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), migrations, env: env))
        {
            using var all = Assert.Multiple();
            await Assert.That(await StatusFor(hearth, "anything.example")).IsEqualTo(400);
            await Assert.That(await StatusFor(hearth, "api.example")).IsEqualTo(200);
        }
    }
}
