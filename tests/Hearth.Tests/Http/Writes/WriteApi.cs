using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Http.Writes;

/// <summary>
/// The one private Hearth that every write/RPC test class shares, serving Fixtures/write_migrations
/// with the default settings (--db-tx-end commit).
/// </summary>
public sealed class WriteHearth() : HearthFixture("writes", "write_migrations");

/// <summary>A second, small Hearth with --db-tx-end rollback-allow-override (started per test class).</summary>
public sealed class RollbackHearth() : HearthFixture("writes-tx", "write_migrations")
{
    protected override Task<IEnumerable<string>> ArgsAsync() => Task.FromResult<IEnumerable<string>>(["--db-tx-end", "rollback-allow-override"]);
}

/// <summary>One HTTP exchange, read completely.</summary>
public sealed class WReply(HttpResponseMessage response, string body)
{
    public HttpStatusCode Status => response.StatusCode;
    public int Code => (int)response.StatusCode;
    public string Body => body;

    /// <summary>A response or content header, values joined by ", "; null when absent.</summary>
    /// <summary>Raw (non-validated) values, so "OPTIONS,GET" stays exactly as sent.</summary>
    public string? Header(string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var v) ? string.Join(", ", v)
        : response.Content.Headers.NonValidated.TryGetValues(name, out var c) ? string.Join(", ", c)
        : null;

    public string? ContentType => response.Content.Headers.ContentType?.ToString();
    public string? MediaType => response.Content.Headers.ContentType?.MediaType;

    /// <summary>"STATUS canonical-json", so one assertion shows both on failure.</summary>
    public string StatusAndJson => $"{Code} {J.CanonOrRaw(body)}";

    /// <summary>"STATUS body" with the body as it came (for empty bodies and CSV).</summary>
    public string StatusAndBody => $"{Code} {body}";

    public JsonElement Json()
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }
}

public static class W
{
    /// <summary>Prefer and other headers as ("Name", "value") pairs.</summary>
    public static (string, string) Prefer(string value) => ("Prefer", value);

    public static Task<WReply> Get(HttpClient http, string url, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Get, url, null, null, headers);

    public static Task<WReply> Post(HttpClient http, string url, string? json, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Post, url, json, "application/json", headers);

    public static Task<WReply> Patch(HttpClient http, string url, string? json, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Patch, url, json, "application/json", headers);

    public static Task<WReply> Put(HttpClient http, string url, string? json, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Put, url, json, "application/json", headers);

    public static Task<WReply> Delete(HttpClient http, string url, params (string Name, string Value)[] headers) =>
        Send(http, HttpMethod.Delete, url, null, null, headers);

    public static Task<WReply> Options(HttpClient http, string url) =>
        Send(http, HttpMethod.Options, url, null, null);

    public static async Task<WReply> Send(HttpClient http, HttpMethod method, string url, string? body, string? contentType,
        params (string Name, string Value)[] headers)
    {
        // UriKind.Relative keeps the query exactly as written.
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value)) throw new InvalidOperationException("bad header " + name);
        }
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new WReply(response, text);
    }

    /// <summary>"STATUS canonical-json" for an expected reply.</summary>
    public static string Expect(int status, string json) => $"{status} {J.Canon(json)}";

    /// <summary>The rows GET returns, canonical, for comparing the database state after a write.</summary>
    public static async Task<string> Rows(HttpClient http, string url)
    {
        var r = await Get(http, url);
        return r.StatusAndJson;
    }

    /// <summary>A PostgREST error object, canonical.</summary>
    public static string Error(int status, string code, string message, string? details = null, string? hint = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("code", code);
            if (details is null) w.WriteNull("details"); else w.WriteString("details", details);
            if (hint is null) w.WriteNull("hint"); else w.WriteString("hint", hint);
            w.WriteString("message", message);
            w.WriteEndObject();
        }
        return Expect(status, Encoding.UTF8.GetString(stream.ToArray()));
    }
}

public static class J
{
    /// <summary>Compact JSON with object keys sorted and numbers normalised (1.0 == 1), arrays kept in order.</summary>
    public static string Canon(string json) => CanonicalJson.Canon(json);

    public static string CanonOrRaw(string text) => CanonicalJson.CanonOrRaw(text);

}
