using System.Net;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Operations;

/// <summary>hearth backup / hearth restore as an operator runs them, against real data dirs.</summary>
public class BackupRestoreTests
{
    /// <summary>A table the anon role may write, so a writer can insert over HTTP.</summary>
    internal static string WriteMigrations(TempDir dir)
    {
        var folder = dir.Combine("migrations");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "001_items.sql"),
            "create table public.items (id int primary key, note text);\ngrant select, insert, delete on public.items to anon;\n");
        return folder;
    }

    internal static async Task<List<int>> IdsAsync(HttpClient http)
    {
        var json = await http.GetStringAsync("items?select=id&order=id");
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetInt32()).ToList();
    }

    internal static async Task InsertAsync(HttpClient http, int id)
    {
        using var body = new StringContent($$"""{"id":{{id}},"note":"row {{id}}"}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("items", body);
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"insert {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Test]
    public async Task A_backup_taken_while_a_writer_inserts_restores_every_row_acknowledged_before_it_started_and_no_gaps()
    {
        using var dir = new TempDir("backup-live");
        var data = dir.Combine("data");
        var archive = dir.Combine("live.tar.gz");
        await using (var serve = await HearthProcess.ServeAsync(data, WriteMigrations(dir)))
        {
            using var http = new HttpClient { BaseAddress = serve.BaseUrl };
            var acknowledged = 0;
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var id = 1; !stop.IsCancellationRequested; id++)
                {
                    await InsertAsync(http, id);
                    Volatile.Write(ref acknowledged, id);
                }
            });
            while (Volatile.Read(ref acknowledged) < 50)
            {
                if (writer.IsCompleted) await writer; // surfaces the writer's failure instead of waiting forever
                await Task.Delay(20);
            }

            var beforeBackup = Volatile.Read(ref acknowledged);
            var (code, _, stderr) = await HearthProcess.RunAsync(["backup", "--data-dir", data, "--out", archive]);
            var afterBackup = Volatile.Read(ref acknowledged);
            await stop.CancelAsync();
            await writer;

            await Assert.That(code).IsEqualTo(0).Because(stderr);
            await Assert.That(stderr).Contains("backup: wrote");

            var restored = dir.Combine("restored");
            var restore = await HearthProcess.RunAsync(["restore", "--from", archive, "--data-dir", restored]);
            await Assert.That(restore.ExitCode).IsEqualTo(0).Because(restore.Stderr);

            await using var second = await HearthProcess.ServeAsync(restored);
            using var restoredHttp = new HttpClient { BaseAddress = second.BaseUrl };
            var ids = await IdsAsync(restoredHttp);
            // Everything acknowledged before the backup began is there; the writer's later rows form a prefix (no gaps).
            await Assert.That(ids.Count).IsGreaterThanOrEqualTo(beforeBackup);
            await Assert.That(ids.Count).IsLessThanOrEqualTo(afterBackup + 1);
            await Assert.That(ids).IsEquivalentTo(Enumerable.Range(1, ids.Count).ToList());
            // The restored data dir carries Hearth's own files: the same JWT secret signs the same keys.
            await Assert.That(File.ReadAllText(Path.Combine(restored, "jwt-secret"))).IsEqualTo(File.ReadAllText(Path.Combine(data, "jwt-secret")));
        }
    }

    [Test]
    public async Task A_backup_of_a_stopped_data_dir_starts_the_database_briefly_and_restores()
    {
        using var dir = new TempDir("backup-stopped");
        var data = dir.Combine("data");
        var migrate = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", WriteMigrations(dir)]);
        await Assert.That(migrate.ExitCode).IsEqualTo(0).Because(migrate.Stderr);
        Directory.CreateDirectory(Path.Combine(data, "storage", "avatars"));
        File.WriteAllText(Path.Combine(data, "storage", "avatars", "me.png"), "not really a png");

        var archive = dir.Combine("stopped.tar.gz");
        var backup = await HearthProcess.RunAsync(["backup", "--data-dir", data, "--out", archive]);
        await Assert.That(backup.ExitCode).IsEqualTo(0).Because(backup.Stderr);
        await Assert.That(PostgresProcesses.ProcessesUsing(data)).IsEmpty(); // the brief server is stopped again

        var restored = dir.Combine("restored");
        var restore = await HearthProcess.RunAsync(["restore", "--from", archive, "--data-dir", restored]);
        await Assert.That(restore.ExitCode).IsEqualTo(0).Because(restore.Stderr);
        await Assert.That(File.ReadAllText(Path.Combine(restored, "storage", "avatars", "me.png"))).IsEqualTo("not really a png");
        await using var serve = await HearthProcess.ServeAsync(restored);
        using var http = new HttpClient { BaseAddress = serve.BaseUrl };
        await Assert.That(await IdsAsync(http)).IsEmpty(); // the migrated table is there

        // A second backup never overwrites an existing file.
        var again = await HearthProcess.RunAsync(["backup", "--data-dir", restored, "--out", archive]);
        await Assert.That(again.ExitCode).IsEqualTo(1);
        await Assert.That(again.Stderr).Contains("already exists");
    }

    [Test]
    public async Task Restore_refuses_a_data_dir_that_is_not_empty_and_leaves_it_alone()
    {
        using var dir = new TempDir("restore-refuse");
        var target = dir.Combine("target");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "keep.txt"), "mine");
        File.WriteAllText(dir.Combine("any.tar.gz"), "whatever");

        var (code, _, stderr) = await HearthProcess.RunAsync(["restore", "--from", dir.Combine("any.tar.gz"), "--data-dir", target]);

        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr.Trim().Split('\n')).HasCount(1);
        await Assert.That(stderr).Contains("not empty");
        await Assert.That(Directory.GetFileSystemEntries(target)).HasCount(1);
        await Assert.That(File.ReadAllText(Path.Combine(target, "keep.txt"))).IsEqualTo("mine");
    }

    [Test]
    public async Task A_damaged_truncated_or_foreign_archive_is_refused_with_one_line_and_nothing_is_left_behind()
    {
        using var dir = new TempDir("restore-corrupt");
        var data = dir.Combine("data");
        var migrate = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", WriteMigrations(dir)]);
        await Assert.That(migrate.ExitCode).IsEqualTo(0).Because(migrate.Stderr);
        var good = dir.Combine("good.tar.gz");
        var backup = await HearthProcess.RunAsync(["backup", "--data-dir", data, "--out", good]);
        await Assert.That(backup.ExitCode).IsEqualTo(0).Because(backup.Stderr);
        var bytes = File.ReadAllBytes(good);

        var flipped = (byte[])bytes.Clone();
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) flipped[i] ^= 0x5A;
        File.WriteAllBytes(dir.Combine("flipped.tar.gz"), flipped);
        File.WriteAllBytes(dir.Combine("truncated.tar.gz"), bytes[..(bytes.Length * 2 / 3)]);
        File.WriteAllText(dir.Combine("foreign.tar.gz"), "this is not an archive at all\n");

        foreach (var name in new[] { "flipped", "truncated", "foreign" })
        {
            var target = dir.Combine("restored-" + name);
            var (code, _, stderr) = await HearthProcess.RunAsync(["restore", "--from", dir.Combine(name + ".tar.gz"), "--data-dir", target]);
            await Assert.That(code).IsEqualTo(1).Because(name);
            // Progress lines may come first on a slow machine; the error is one line, the last, without a stack trace.
            await Assert.That(stderr.Trim().Split('\n')[^1]).Contains("damaged or not a Hearth backup").Because(stderr);
            await Assert.That(stderr).DoesNotContain("   at ");
            await Assert.That(Directory.Exists(target)).IsFalse();
            await Assert.That(Directory.GetDirectories(dir.Path).Any(d => d.Contains(".restoring-"))).IsFalse();
        }
    }

    [Test]
    [Arguments("backup", "--out", "x.tar.gz")]
    [Arguments("restore", "--from", "x.tar.gz")]
    public async Task With_an_external_database_backups_are_the_operators_job(string command, string flag, string value)
    {
        var (code, _, stderr) = await HearthProcess.RunAsync([command, flag, value, "--database-url", "postgres://u@db.example/app"]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n')).HasCount(1);
        await Assert.That(stderr).Contains("database operator's job");
    }
}
