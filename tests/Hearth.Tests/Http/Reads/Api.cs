using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hearth.Tests.Infrastructure;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.Http.Reads;

/// <summary>One HTTP exchange, read completely.</summary>
public sealed class Reply(HttpResponseMessage response, string body)
{
    public HttpStatusCode Status => response.StatusCode;
    public int Code => (int)response.StatusCode;
    public string Body => body;

    /// <summary>A response or content header, values joined by ", "; null when absent.</summary>
    public string? Header(string name) =>
        response.Headers.TryGetValues(name, out var v) ? string.Join(", ", v)
        : response.Content.Headers.TryGetValues(name, out var c) ? string.Join(", ", c)
        : null;

    public string? ContentType => Header("Content-Type");

    /// <summary>"STATUS canonical-json", so one assertion shows both on failure.</summary>
    public string StatusAndJson => $"{Code} {Json.CanonOrRaw(body)}";

    /// <summary>"STATUS id,id,…" for an array of objects with an id, or "STATUS body" when it is not one.</summary>
    public string StatusAndIds
    {
        get
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind != JsonValueKind.Array) return $"{Code} {body}";
                return $"{Code} [" + string.Join(",", doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").ToString())) + "]";
            }
            catch (Exception) { return $"{Code} {body}"; }
        }
    }
}

public static class Api
{
    public static Task<Reply> Get(HttpClient http, string url, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Get, url, headers);

    public static Task<Reply> Head(HttpClient http, string url, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Head, url, headers);

    public static async Task<Reply> Send(HttpClient http, HttpMethod method, string url, params (string Name, string Value)[] headers)
    {
        // UriKind.Relative keeps the query exactly as written (already percent-encoded where it matters).
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        foreach (var (name, value) in headers)
            if (!request.Headers.TryAddWithoutValidation(name, value)) throw new InvalidOperationException("bad header " + name);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply(response, body);
    }

    public static string Ids(int status, params int[] ids) => $"{status} [{string.Join(",", ids)}]";
    public static string Expect(int status, string json) => $"{status} {Json.Canon(json)}";
}

public static class Json
{
    /// <summary>Compact JSON with object keys sorted and numbers normalised (1100.000 == 1100), arrays kept in order.</summary>
    public static string Canon(string json) => CanonicalJson.Canon(json);

    public static string CanonOrRaw(string text) => CanonicalJson.CanonOrRaw(text);

    /// <summary>Object keys in the order the server wrote them.</summary>
    public static string[] Keys(string json, int row = 0)
    {
        using var doc = JsonDocument.Parse(json);
        var element = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement[row] : doc.RootElement;
        return element.EnumerateObject().Select(p => p.Name).ToArray();
    }

}

/// <summary>
/// A private Hearth on the fixture migrations with aggregates and the plan media type enabled
/// (both are off on the shared instance). Started once per test class.
/// </summary>
public sealed class FeaturesHearth : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new("features");
    private HearthProcess? _process;

    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _process = await HearthProcess.ServeAsync(_dir.Combine("data"), RepoPaths.Fixture("migrations"),
            ["--db-aggregates-enabled", "--db-plan-enabled"]);
        Http = new HttpClient { BaseAddress = _process.BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_process is not null) await _process.DisposeAsync();
        _dir.Dispose();
    }
}
