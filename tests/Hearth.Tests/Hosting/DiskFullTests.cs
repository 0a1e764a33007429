using System.Net;
using System.Text;
using System.Text.Json;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

/// <summary>
/// A full disk, on a private tmpfs: writes fail with 503 53100 while reads go on, a postmaster that dies
/// meanwhile comes back once there is room, and a start with too little room says so in one line.
/// </summary>
public class DiskFullTests
{
    private static string NotesMigrations(TempDir dir)
    {
        var folder = dir.Combine("migrations");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "001_notes.sql"), """
            create table notes (id serial primary key, body text not null);
            grant select, insert on notes to anon;
            grant usage on sequence notes_id_seq to anon;
            insert into notes (body) values ('written before the disk filled');
            """);
        return folder;
    }

    /// <summary>300 rows of 2 kB: the table must grow by new pages, which a full disk refuses.</summary>
    private static StringContent BigInsert() =>
        new("[" + string.Join(",", Enumerable.Range(0, 300).Select(i => $$"""{"body":"{{new string('x', 2000)}}{{i}}"}""")) + "]",
            Encoding.UTF8, "application/json");

    [Test]
    public async Task A_full_disk_fails_writes_with_503_keeps_reads_and_recovers_when_space_returns()
    {
        using var dir = new TempDir("diskfull");
        using var disk = await Tmpfs.MountAsync("diskfull-fs", 128);
        var data = disk.Combine("data");
        await using var hearth = await HearthProcess.ServeAsync(data, NotesMigrations(dir));
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        // Start a fresh WAL segment while there is room, so the writes below never need a new one.
        await Db.ExecAsync(Db.ConnectionString(data), "select pg_switch_wal(); checkpoint");

        var filler = disk.Fill();

        var write = await http.PostAsync("notes", BigInsert());
        await Assert.That((int)write.StatusCode).IsEqualTo(503);
        await Assert.That(write.Headers.RetryAfter).IsNotNull();
        using (var body = JsonDocument.Parse(await write.Content.ReadAsStringAsync()))
        {
            await Assert.That(body.RootElement.GetProperty("code").GetString()).IsEqualTo("53100");
            await Assert.That(body.RootElement.GetProperty("message").GetString()).Contains("No space left on device");
        }
        await Assert.That(await http.GetStringAsync("notes?select=body")).Contains("written before the disk filled");
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.OK);

        // The postmaster dies while the disk is still full: it cannot come back until there is room.
        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;
        Signals.Send(postmaster, Signals.SigKill);
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(3)); // a few restart attempts
        await Assert.That((await http.GetAsync("ready")).StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        var during = await http.GetAsync("notes?select=body");
        await Assert.That((int)during.StatusCode).IsEqualTo(503);
        await Assert.That(during.Headers.RetryAfter).IsNotNull();
        await Assert.That(await during.Content.ReadAsStringAsync()).Contains("disk is full"); // the 503 says why

        File.Delete(filler);
        await SupervisionTests.WaitForAsync(async () => (await http.GetAsync("ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        await Assert.That((await http.PostAsync("notes", BigInsert())).StatusCode).IsEqualTo(HttpStatusCode.Created);
        await Assert.That(await http.GetStringAsync("notes?select=body&id=eq.1")).Contains("written before the disk filled");
        await Assert.That(await hearth.StopAsync()).IsEqualTo(0);
    }

    [Test]
    public async Task A_start_with_too_little_free_space_fails_with_one_line()
    {
        using var disk = await Tmpfs.MountAsync("nospace-fs", 96);
        var data = disk.Combine("data");
        await using (var first = await HearthProcess.ServeAsync(data))
            await Assert.That(await first.StopAsync()).IsEqualTo(0);
        disk.Fill(leaveBytes: 8 << 20);

        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", data, "--port", "0"]);

        await Assert.That(code).IsEqualTo(1);
        var errors = stderr.Split('\n').Where(l => l.StartsWith("hearth: ", StringComparison.Ordinal)).ToList();
        await Assert.That(errors.Count).IsEqualTo(1);
        await Assert.That(errors[0]).Contains("Not enough free disk space");
        await Assert.That(stderr).DoesNotContain("   at ");
        await Assert.That(PostgresProcesses.ProcessesUsing(data)).IsEmpty();
    }
}
