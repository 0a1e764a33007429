using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Operations;

/// <summary>serve --wal-archive, then restore --wal-archive [--to-time]: undoing a mistaken DELETE.</summary>
public class PointInTimeRestoreTests
{
    [Test]
    public async Task Restoring_to_a_time_between_two_writes_keeps_the_first_and_not_the_second()
    {
        using var dir = new TempDir("pitr");
        var data = dir.Combine("data");
        var wal = dir.Combine("wal");
        var archive = dir.Combine("base.tar.gz");
        DateTimeOffset between;
        await using (var serve = await HearthProcess.ServeAsync(data, BackupRestoreTests.WriteMigrations(dir), ["--wal-archive", wal]))
        {
            using var http = new HttpClient { BaseAddress = serve.BaseUrl };
            await BackupRestoreTests.InsertAsync(http, 1);
            var backup = await HearthProcess.RunAsync(["backup", "--data-dir", data, "--out", archive]);
            await Assert.That(backup.ExitCode).IsEqualTo(0).Because(backup.Stderr);

            await BackupRestoreTests.InsertAsync(http, 2); // the write we want back
            await Task.Delay(1200);
            between = DateTimeOffset.UtcNow;
            await Task.Delay(1200);
            using (var delete = await http.DeleteAsync("items?id=lt.3")) await Assert.That((int)delete.StatusCode).IsEqualTo(204); // the mistake
            await BackupRestoreTests.InsertAsync(http, 3);
            await Assert.That(await serve.StopAsync()).IsEqualTo(0); // a clean stop archives the last segment
        }
        await Assert.That(Directory.GetFiles(wal).Length).IsGreaterThan(0);

        var toTime = dir.Combine("to-time");
        var restore = await HearthProcess.RunAsync(["restore", "--from", archive, "--data-dir", toTime, "--wal-archive", wal,
            "--to-time", between.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")]);
        await Assert.That(restore.ExitCode).IsEqualTo(0).Because(restore.Stderr);
        await using (var serve = await HearthProcess.ServeAsync(toTime))
        {
            using var http = new HttpClient { BaseAddress = serve.BaseUrl };
            await Assert.That(await BackupRestoreTests.IdsAsync(http)).IsEquivalentTo(new List<int> { 1, 2 });
            await BackupRestoreTests.InsertAsync(http, 4); // promoted: writable
        }

        // Without --to-time the whole archive is replayed: the state at the stop.
        var toEnd = dir.Combine("to-end");
        var full = await HearthProcess.RunAsync(["restore", "--from", archive, "--data-dir", toEnd, "--wal-archive", wal]);
        await Assert.That(full.ExitCode).IsEqualTo(0).Because(full.Stderr);
        await using (var serve = await HearthProcess.ServeAsync(toEnd))
        {
            using var http = new HttpClient { BaseAddress = serve.BaseUrl };
            await Assert.That(await BackupRestoreTests.IdsAsync(http)).IsEquivalentTo(new List<int> { 3 });
        }
    }

    [Test]
    public async Task A_time_before_the_backup_ended_is_refused_with_postgres_reason_and_no_data_dir()
    {
        using var dir = new TempDir("pitr-early");
        var data = dir.Combine("data");
        var wal = dir.Combine("wal");
        var archive = dir.Combine("base.tar.gz");
        var early = DateTimeOffset.UtcNow.AddDays(-1);
        await using (var serve = await HearthProcess.ServeAsync(data, BackupRestoreTests.WriteMigrations(dir), ["--wal-archive", wal]))
        {
            var backup = await HearthProcess.RunAsync(["backup", "--data-dir", data, "--out", archive]);
            await Assert.That(backup.ExitCode).IsEqualTo(0).Because(backup.Stderr);
        }
        var target = dir.Combine("restored");
        var (code, _, stderr) = await HearthProcess.RunAsync(["restore", "--from", archive, "--data-dir", target, "--wal-archive", wal,
            "--to-time", early.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ")]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("restore: PostgreSQL could not recover the backup");
        await Assert.That(Directory.Exists(target)).IsFalse();
    }
}
