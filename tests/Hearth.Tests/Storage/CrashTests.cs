using System.Net;
using System.Security.Cryptography;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Storage.StorageApi;

namespace Hearth.Tests.Storage;

/// <summary>
/// kill -9 of Hearth and PostgreSQL at the worst moments: an acknowledged upload survives, one in progress
/// leaves nothing a download could serve, and leftovers (unfinished temp files, files whose row never
/// committed, files of versions already deleted) are removed at the next start.
/// </summary>
public class CrashTests
{
    private static readonly Dictionary<string, string> Env = new() { ["HEARTH_JWT_SECRET"] = Jwt.Secret };

    [Test]
    public async Task Kill_9_mid_upload_keeps_acknowledged_objects_and_cleans_everything_else_at_restart()
    {
        using var dir = new TempDir("storage-crash");
        var data = dir.Combine("data");
        var storage = Path.Combine(data, "storage");
        var first = await HearthProcess.ServeAsync(data, RepoPaths.Fixture("storage_migrations"), null, Env);
        var http = new HttpClient { BaseAddress = first.BaseUrl };
        var committed = RandomNumberGenerator.GetBytes(200_000);
        await Assert.That((await Send(http, HttpMethod.Post, "object/big/committed.bin", Bytes(committed, "application/octet-stream"), ServiceRole)).Status).IsEqualTo(200);

        // Leftovers of earlier crashes: a file whose row never committed, and a file of a version whose row was deleted.
        var orphan = Guid.NewGuid().ToString("D");
        var orphanPath = Path.Combine(storage, "objects", orphan[..2], orphan);
        Directory.CreateDirectory(Path.GetDirectoryName(orphanPath)!);
        await File.WriteAllTextAsync(orphanPath, "never committed");
        await Upload(http, "big", "deleted.txt", "deleted", ServiceRole);
        var deletedVersion = await Db.ScalarAsync<string>(Db.ConnectionString(data), "select version from storage.objects where name = 'deleted.txt'");
        await Db.ExecAsync(Db.ConnectionString(data), "alter table storage.objects disable trigger hearth_storage_garbage; delete from storage.objects where name = 'deleted.txt'; " +
                                                      "alter table storage.objects enable trigger hearth_storage_garbage");

        // An upload that stops half way: its bytes are in tmp/ when everything dies.
        var release = new TaskCompletionSource();
        var content = new StreamContent(new HalfThenWait(1024 * 1024, release.Task));
        content.Headers.ContentType = new("application/octet-stream");
        content.Headers.ContentLength = 3 * 1024 * 1024;
        var pending = http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "storage/v1/object/big/interrupted.bin")
        {
            Content = content, Headers = { Authorization = new("Bearer", ServiceRole) },
        });
        var tmp = Path.Combine(storage, "tmp");
        for (var i = 0; i < 200 && !Directory.EnumerateFiles(tmp).Any(f => new FileInfo(f).Length > 0); i++) await Task.Delay(50);
        await Assert.That(Directory.EnumerateFiles(tmp).Count()).IsEqualTo(1);

        var postmaster = PostgresProcesses.PostmasterPid(data)!.Value;
        first.KillHard();
        Signals.Send(postmaster, Signals.SigKill);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await PostgresProcesses.WaitUntilGoneAsync(postmaster, TimeSpan.FromSeconds(10));
        release.TrySetResult();
        try { await pending; } catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException) { } // the server is gone
        http.Dispose();
        await first.DisposeAsync();

        await using var second = await HearthProcess.ServeAsync(data, RepoPaths.Fixture("storage_migrations"), null, Env);
        using var http2 = new HttpClient { BaseAddress = second.BaseUrl };
        var deletedPath = Path.Combine(storage, "objects", deletedVersion[..2], deletedVersion);
        using var all = Assert.Multiple();
        await Assert.That((await Download(http2, "big", "committed.bin", ServiceRole)).Body.SequenceEqual(committed)).IsTrue();
        await Assert.That((await Download(http2, "big", "interrupted.bin", ServiceRole)).ErrorStatus).IsEqualTo("404");
        await Assert.That(Directory.EnumerateFiles(tmp).Count()).IsEqualTo(0);
        await Assert.That(File.Exists(orphanPath)).IsFalse();
        await Assert.That(File.Exists(deletedPath)).IsFalse();
        // Exactly one file is left: the committed object's.
        await Assert.That(Directory.EnumerateFiles(Path.Combine(storage, "objects"), "*", SearchOption.AllDirectories).Count()).IsEqualTo(1);
        await Assert.That(second.Stderr).Contains("Storage: removed 3 unfinished or unreferenced files");
    }

    /// <summary>A request body that sends <paramref name="first"/> bytes, then waits (the client is still uploading).</summary>
    private sealed class HalfThenWait(int first, Task wait) : Stream
    {
        private int _sent;
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_sent >= first)
            {
                await wait.WaitAsync(ct);
                throw new IOException("the upload was abandoned");
            }
            var n = Math.Min(buffer.Length, first - _sent);
            buffer.Span[..n].Fill(7);
            _sent += n;
            return n;
        }
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _sent; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
