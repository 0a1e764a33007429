using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>hearth serve --sidecar, as a desktop app (Tauri externalBin) runs it.</summary>
public class SidecarTests
{
    private static async Task<(HearthProcess Hearth, JsonElement Handshake, string DataDir)> StartAsync(TempDir dir, params string[] extra)
    {
        var data = dir.Combine("data");
        var hearth = HearthProcess.Start(["serve", "--sidecar", "--app-id", "com.example.test", "--data-dir", data,
            "--migrations", RepoPaths.Fixture("migrations"), .. extra]);
        var line = await hearth.FirstLineAsync();
        using var doc = JsonDocument.Parse(line);
        return (hearth, doc.RootElement.Clone(), data);
    }

    [Test]
    public async Task The_first_stdout_line_is_the_json_handshake()
    {
        using var dir = new TempDir("sidecar");
        var (hearth, handshake, _) = await StartAsync(dir);
        await using var _ = hearth;
        var url = handshake.GetProperty("url").GetString()!;
        await Assert.That(url).StartsWith("http://127.0.0.1:");
        await Assert.That(handshake.GetProperty("port").GetInt32()).IsEqualTo(new Uri(url).Port);
        await Assert.That(handshake.GetProperty("pid").GetInt32()).IsEqualTo(hearth.Pid);
        await Assert.That(handshake.GetProperty("token").GetString()!.Length).IsGreaterThanOrEqualTo(32);
        await Task.Delay(300);
        await Assert.That(hearth.Stdout.Trim().Split('\n').Length).IsEqualTo(1); // exactly one line
    }

    [Test]
    public async Task Every_request_needs_the_token()
    {
        using var dir = new TempDir("sidecar-token");
        var (hearth, handshake, _) = await StartAsync(dir);
        await using var _ = hearth;
        using var http = new HttpClient { BaseAddress = new Uri(handshake.GetProperty("url").GetString()! + "/") };

        var anonymous = await http.GetAsync("authors");
        await Assert.That(anonymous.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(await anonymous.Content.ReadAsStringAsync()).Contains("\"code\":\"HRTH401\"");
        await Assert.That((await http.GetAsync("live")).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        await Assert.That((await http.GetAsync("authors")).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", handshake.GetProperty("token").GetString());
        var ok = await http.GetAsync("authors");
        await Assert.That(ok.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await ok.Content.ReadAsStringAsync()).Contains("Le Guin");
    }

    [Test]
    public async Task With_a_jwt_secret_a_valid_jwt_is_accepted_in_place_of_the_sidecar_token()
    {
        using var dir = new TempDir("sidecar-jwt");
        var (hearth, handshake, _) = await StartAsync(dir, "--jwt-secret", Jwt.Secret);
        await using var _ = hearth;
        using var http = new HttpClient { BaseAddress = new Uri(handshake.GetProperty("url").GetString()! + "/") };
        async Task<(int, string)> Get(string? bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "whoami?select=role");
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        using var __ = Assert.Multiple();
        await Assert.That(await Get(handshake.GetProperty("token").GetString())).IsEqualTo((200, """[{"role":"anon"}]"""));
        await Assert.That(await Get(Jwt.For("anon", "user-1"))).IsEqualTo((200, """[{"role":"anon"}]"""));
        // The JWT's role is used: authenticated has no grant on whoami, so 403 (not the sidecar's anon 200).
        await Assert.That((await Get(Jwt.For("authenticated", "user-1"))).Item1).IsEqualTo(403);
        var forged = await Get(Jwt.Hs(Jwt.Claims(("role", "anon")), secret: "not-the-secret-not-the-secret-not-the-secret"));
        await Assert.That(forged.Item1).IsEqualTo(401);
        await Assert.That(forged.Item2).Contains("PGRST301");
        await Assert.That((await Get(null)).Item2).Contains("HRTH401");
    }

    [Test]
    public async Task Closing_stdin_stops_hearth_and_postgres()
    {
        using var dir = new TempDir("sidecar-stdin");
        var (hearth, _, data) = await StartAsync(dir);
        await using var _ = hearth;
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;
        hearth.CloseStdin();
        await Assert.That(await hearth.WaitForExitAsync(TimeSpan.FromSeconds(30))).IsEqualTo(0);
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));
        await Assert.That(PostgresProcesses.IsRunning(postmaster)).IsFalse();
    }

    [Test]
    public async Task The_death_of_the_parent_process_stops_hearth_and_postgres()
    {
        using var dir = new TempDir("sidecar-parent");
        var data = dir.Combine("data");
        var (file, prefix) = RepoPaths.HearthCommand();
        var command = string.Join(' ', new[] { file }.Concat(prefix).Concat(["serve", "--sidecar", "--app-id", "x", "--data-dir", data])
            .Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        // A parent shell that starts Hearth and waits: killing it orphans Hearth. <&3 (a copy of the shell's stdin) keeps Hearth's stdin open
        // (a background job of a non-interactive shell otherwise reads /dev/null, which a sidecar takes as "quit").
        var parent = Process.Start(new ProcessStartInfo("sh", ["-c", $"exec 3<&0; {command} <&3 > '{dir.Combine("out")}' 2>&1 & echo $! > '{dir.Combine("pid")}'; wait"])
        { RedirectStandardInput = true, UseShellExecute = false })!;
        var handshake = dir.Combine("out");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !(File.Exists(handshake) && File.ReadAllText(handshake).Contains("\"token\""))) await Task.Delay(100);
        var hearthPid = int.Parse(File.ReadAllText(dir.Combine("pid")).Trim());
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;

        parent.Kill();
        await parent.WaitForExitAsync();
        await PostgresProcesses.WaitUntilGoneAsync(hearthPid, TimeSpan.FromSeconds(30));
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));
        await Assert.That(PostgresProcesses.IsRunning(hearthPid)).IsFalse();
        await Assert.That(PostgresProcesses.IsRunning(postmaster)).IsFalse();
        parent.StandardInput.Close();
    }

    [Test]
    public async Task Sidecar_without_app_id_or_data_dir_is_a_usage_error()
    {
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--sidecar"]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("--app-id");
    }
}
