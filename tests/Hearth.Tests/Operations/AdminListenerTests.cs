using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Operations;

/// <summary>The admin port (--admin-port): health, POST /backup for service_role, scheduled backups with retention.</summary>
public class AdminListenerTests
{
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task<string> ServiceRoleKeyAsync(string dataDir)
    {
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["keys", "--data-dir", dataDir]);
        if (code != 0) throw new InvalidOperationException(stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("service_role_key").GetString()!;
    }

    [Test]
    public async Task Post_backup_on_the_admin_port_needs_the_service_role_key_and_writes_a_backup()
    {
        using var dir = new TempDir("admin-backup");
        var data = dir.Combine("data");
        var backups = dir.Combine("backups");
        var port = FreePort();
        await using var serve = await HearthProcess.ServeAsync(data, extraArgs: ["--admin-port", port.ToString(), "--backup-dir", backups]);
        using var admin = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var api = new HttpClient { BaseAddress = serve.BaseUrl };

        await Assert.That((await admin.GetAsync("live")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await admin.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await admin.PostAsync("backup", null)).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        var anonKey = JsonDocument.Parse((await HearthProcess.RunAsync(["keys", "--data-dir", data])).Stdout).RootElement.GetProperty("anon_key").GetString();
        using (var asAnon = new HttpRequestMessage(HttpMethod.Post, "backup") { Headers = { { "Authorization", "Bearer " + anonKey } } })
            await Assert.That((await admin.SendAsync(asAnon)).StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(Directory.Exists(backups) && Directory.GetFiles(backups).Length > 0).IsFalse();
        // The API port knows nothing of it: /backup there is just a missing table.
        await Assert.That((await api.PostAsync("backup", null)).StatusCode).IsNotEqualTo(HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Post, "backup") { Headers = { { "Authorization", "Bearer " + await ServiceRoleKeyAsync(data) } } };
        using var response = await admin.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK).Because(body);
        var file = JsonDocument.Parse(body).RootElement.GetProperty("file").GetString()!;
        await Assert.That(Path.GetDirectoryName(file)).IsEqualTo(backups);
        await Assert.That(new FileInfo(file).Length).IsEqualTo(JsonDocument.Parse(body).RootElement.GetProperty("bytes").GetInt64());
        await using (var stream = File.OpenRead(file))
        await using (var gzip = new GZipStream(stream, CompressionMode.Decompress))
        await using (var tar = new TarReader(gzip))
            await Assert.That((await tar.GetNextEntryAsync())?.Name).IsEqualTo("hearth-backup.json");

        var metrics = await admin.GetStringAsync("metrics");
        await Assert.That(metrics).Contains("hearth_backup_age_seconds");
        await Assert.That(metrics).Contains("hearth_backups_total{");
    }

    [Test]
    public async Task The_admin_listener_binds_admin_host_and_only_it()
    {
        using var dir = new TempDir("admin-host");
        var port = FreePort();
        await using var serve = await HearthProcess.ServeAsync(dir.Combine("data"), extraArgs: ["--admin-port", port.ToString(), "--admin-host", "127.0.0.2"]);
        using var chosen = new HttpClient { BaseAddress = new Uri($"http://127.0.0.2:{port}/") };
        await Assert.That((await chosen.GetAsync("live")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        using var other = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        await Assert.That(async () => await other.GetAsync("live")).Throws<HttpRequestException>();
    }

    [Test]
    public async Task An_admin_host_that_is_not_an_address_is_a_one_line_usage_error()
    {
        using var dir = new TempDir("admin-host-bad");
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", dir.Combine("data"), "--admin-port", "0", "--admin-host", "example.com"]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim()).IsEqualTo("hearth: --admin-host: 'example.com' is not an IP address or 'localhost'. (see 'hearth --help')");
    }

    [Test]
    public async Task Scheduled_backups_land_in_the_backup_dir_and_only_the_newest_are_kept()
    {
        using var dir = new TempDir("schedule");
        var data = dir.Combine("data");
        var backups = dir.Combine("backups");
        Directory.CreateDirectory(backups);
        // Older backups of ours, and a file that is not ours (never deleted).
        foreach (var old in new[] { "hearth-backup-20200101T000000Z.tar.gz", "hearth-backup-20210101T000000Z.tar.gz", "hearth-backup-20220101T000000Z.tar.gz" })
            File.WriteAllText(Path.Combine(backups, old), "old");
        File.WriteAllText(Path.Combine(backups, "notes.txt"), "mine");

        await using var serve = await HearthProcess.ServeAsync(data, extraArgs: ["--backup-schedule", "1h", "--backup-keep", "2", "--backup-dir", backups]);
        // No backup yet (no last-backup): the first is taken shortly after start.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !Directory.GetFiles(backups, "hearth-backup-2026*").Concat(Directory.GetFiles(backups, "hearth-backup-20[3-9]*")).Any())
            await Task.Delay(500);
        await Task.Delay(500); // pruning follows the rename

        var names = Directory.GetFiles(backups).Select(Path.GetFileName).Order().ToList();
        await Assert.That(names).HasCount(3).Because(string.Join(", ", names) + "\n" + serve.Stderr);
        await Assert.That(names).Contains("hearth-backup-20220101T000000Z.tar.gz");
        await Assert.That(names).Contains("notes.txt");
        await Assert.That(names).DoesNotContain("hearth-backup-20200101T000000Z.tar.gz");
    }

    [Test]
    [Arguments("--backup-schedule", "5s")]
    [Arguments("--backup-schedule", "often")]
    [Arguments("--tls-cert", "cert.pem")]
    [Arguments("--log-format", "xml")]
    [Arguments("--admin-port", "70000")]
    public async Task Bad_operations_flags_are_usage_errors(string flag, string value)
    {
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", flag, value]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n')).HasCount(1);
    }

    [Test]
    public async Task Wal_archiving_is_refused_with_an_external_database()
    {
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--database-url", "postgres://u@db.example/app", "--wal-archive", "/tmp/x"]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("database operator's job");
    }
}
