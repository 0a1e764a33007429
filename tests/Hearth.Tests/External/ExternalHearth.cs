using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.External;

/// <summary>Starts Hearth against an <see cref="ExternalServer"/> database the way an operator would: authenticator URL, owner URL, a Supabase project.</summary>
public static class ExternalHearth
{
    public static string Project => RepoPaths.Fixture("external_project");

    /// <summary>GET items?order=id of the fixture project, as PostgREST formats it.</summary>
    public const string ItemRows = "[{\"id\":1,\"name\":\"one\"}, \n {\"id\":2,\"name\":\"two\"}]";

    public static Dictionary<string, string> Env => new() { ["HEARTH_JWT_SECRET"] = Jwt.Secret };

    public static List<string> ServeArgs(ExternalServer server, ExternalDatabase db, params string[] extra) =>
    [
        "serve", "--port", "0", "--database-url", db.ApiUrl, "--admin-database-url", db.AdminUrl, "--supabase", Project,
        "--db-statement-timeout", "5000", .. extra.Contains("--db-prepared-statements") ? [] : server.PoolerFlags, .. extra,
    ];

    public static HearthProcess Start(IEnumerable<string> args) => HearthProcess.Start(args, Env);

    public static async Task<HearthProcess> ServeAsync(ExternalServer server, ExternalDatabase db, params string[] extra)
    {
        var hearth = Start(ServeArgs(server, db, extra));
        try { await hearth.WaitReadyAsync(); }
        catch { await hearth.DisposeAsync(); throw; }
        return hearth;
    }

    public static HttpClient Client(HearthProcess hearth) =>
        new(new HttpClientHandler { UseCookies = false }) { BaseAddress = hearth.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GET rpc/session_state with the anon key, or as the token's user.</summary>
    public static async Task<JsonElement> SessionStateAsync(HttpClient http, string? bearer = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, "rpc/session_state");
        req.Headers.Add("apikey", Jwt.For("anon"));
        if (bearer is not null) req.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        using var res = await http.SendAsync(req);
        var body = await res.Content.ReadAsStringAsync();
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"rpc/session_state: {(int)res.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The lines of a failed start that are not log lines: what the operator reads.</summary>
    public static string[] ErrorLines(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("hearth:", StringComparison.Ordinal)).ToArray();
}
