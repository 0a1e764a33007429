using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>An /auth/v1 answer: status, body, headers.</summary>
public sealed record Reply(int Status, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    public string? Header(string name) => Headers.TryGetValues(name, out var v) ? string.Join(",", v) : null;
    /// <summary>The 2024-01-01 error shape's code.</summary>
    public string? ErrorCode => Json.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : Json.TryGetProperty("error_code", out var e) ? e.GetString() : null;
    public override string ToString() => $"{Status} {Body}";
}

/// <summary>Calls /auth/v1 the way supabase-js does (JSON bodies, X-Supabase-Api-Version: 2024-01-01 unless told otherwise).</summary>
public static class AuthApi
{
    public const string Password = "correct horse 42";

    public static string NewEmail(string who = "user") => $"{who}-{Guid.NewGuid():N}@example.com";

    public static string ServiceRole => Jwt.For("service_role");

    /// <summary>The project's anon key, sent as apikey (Supabase's gateway requires one on /auth/v1).</summary>
    public static readonly string AnonKey = Jwt.For("anon");

    public static async Task<Reply> Send(HttpClient http, HttpMethod method, string path, string? json = null, string? bearer = null,
        string? apiVersion = "2024-01-01", string? apiKey = null)
    {
        using var req = new HttpRequestMessage(method, path.StartsWith("rest/", StringComparison.Ordinal) ? path[5..] : "auth/v1/" + path);
        if (apiKey != "") req.Headers.Add("apikey", apiKey ?? AnonKey);
        if (json is not null) req.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (bearer is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (apiVersion is not null) req.Headers.Add("X-Supabase-Api-Version", apiVersion);
        using var res = await http.SendAsync(req);
        return new Reply((int)res.StatusCode, await res.Content.ReadAsStringAsync(), res.Headers);
    }

    public static Task<Reply> Post(HttpClient http, string path, string json, string? bearer = null, string? apiVersion = "2024-01-01") =>
        Send(http, HttpMethod.Post, path, json, bearer, apiVersion);

    public static Task<Reply> SignUp(HttpClient http, string email, string password = Password, string? data = null)
    {
        var body = Obj(("email", email), ("password", password));
        if (data is not null) body = body[..^1] + ",\"data\":" + data + "}";
        return Post(http, "signup", body);
    }

    public static Task<Reply> SignIn(HttpClient http, string email, string password = Password, string? apiVersion = "2024-01-01") =>
        Post(http, "token?grant_type=password", Obj(("email", email), ("password", password)), apiVersion: apiVersion);

    public static Task<Reply> Refresh(HttpClient http, string refreshToken) =>
        Post(http, "token?grant_type=refresh_token", Obj(("refresh_token", refreshToken)));

    /// <summary>A signed-up user's session: access token, refresh token, id.</summary>
    public static async Task<(string Access, string Refresh, string Id, string Email)> NewUser(HttpClient http, string? data = null)
    {
        var email = NewEmail();
        var r = await SignUp(http, email, Password, data);
        if (r.Status != 200) throw new InvalidOperationException("sign-up failed: " + r);
        return (r.Json.GetProperty("access_token").GetString()!, r.Json.GetProperty("refresh_token").GetString()!,
            r.Json.GetProperty("user").GetProperty("id").GetString()!, email);
    }

    public static string Obj(params (string Name, string Value)[] members)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            foreach (var (n, v) in members) w.WriteString(n, v);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A JWT's payload, after checking its HS256 signature with the test secret.</summary>
    public static JsonElement Claims(string jwt)
    {
        var parts = jwt.Split('.');
        var expected = Jwt.B64(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Jwt.Secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1])));
        if (expected != parts[2]) throw new InvalidOperationException("bad signature");
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
        return JsonDocument.Parse(Convert.FromBase64String(payload)).RootElement;
    }
}
