using Hearth.Storage;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Storage.StorageApi;

namespace Hearth.Tests.Storage;

/// <summary>[storage] file_size_limit of config.toml, --storage-file-size-limit and --storage-dir (HEARTH_* variables).</summary>
public class StorageConfigTests
{
    [Test]
    [Arguments("50MiB", false, 52428800L)]
    [Arguments("1GB", false, 1073741824L)]
    [Arguments("20MB", true, 20000000L)]
    [Arguments("512", false, 512L)]
    [Arguments("1.5KiB", false, 1536L)]
    public async Task Sizes_parse_as_config_toml_and_the_bucket_api_write_them(string text, bool decimalUnits, long bytes)
    {
        await Assert.That(FileSize.TryParse(text, decimalUnits, out var parsed)).IsTrue();
        await Assert.That(parsed).IsEqualTo(bytes);
    }

    [Test]
    [Arguments("lots")]
    [Arguments("10XB")]
    [Arguments("")]
    [Arguments("-5MB")]
    public async Task Not_a_size(string text) => await Assert.That(FileSize.TryParse(text, false, out _)).IsFalse();

    [Test]
    public async Task Config_toml_sets_the_limit_the_flag_overrides_it_and_the_storage_dir_can_live_elsewhere()
    {
        using var dir = new TempDir("storage-config");
        await File.WriteAllTextAsync(dir.Combine("config.toml"), "[storage]\nenabled = true\nfile_size_limit = \"10KiB\"\n");
        var storageDir = dir.Combine("files");
        var env = new Dictionary<string, string> { ["HEARTH_JWT_SECRET"] = Jwt.Secret, ["HEARTH_STORAGE_DIR"] = storageDir };
        await using (var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), null, ["--supabase", dir.Path], env))
        {
            using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
            await Send(http, HttpMethod.Post, "bucket", JsonBody("""{"name":"files"}"""), ServiceRole);
            var small = await Send(http, HttpMethod.Post, "object/files/small.bin", Bytes(new byte[10 * 1024], "application/octet-stream"), ServiceRole);
            var large = await Send(http, HttpMethod.Post, "object/files/large.bin", Bytes(new byte[10 * 1024 + 1], "application/octet-stream"), ServiceRole);
            var bucketOverLimit = await Send(http, HttpMethod.Post, "bucket", JsonBody("""{"name":"huge","file_size_limit":20480}"""), ServiceRole);
            using var all = Assert.Multiple();
            await Assert.That(small.Status).IsEqualTo(200);
            await Assert.That(large.ErrorStatus).IsEqualTo("413");
            await Assert.That(bucketOverLimit.ErrorStatus).IsEqualTo("413");
            await Assert.That(Directory.EnumerateFiles(Path.Combine(storageDir, "objects"), "*", SearchOption.AllDirectories).Count()).IsEqualTo(1);
            await Assert.That(Directory.Exists(dir.Combine("data", "storage"))).IsFalse();
        }
        await using (var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), null, ["--supabase", dir.Path, "--storage-file-size-limit", "20KiB"], env))
        {
            using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
            var large = await Send(http, HttpMethod.Post, "object/files/large.bin", Bytes(new byte[10 * 1024 + 1], "application/octet-stream"), ServiceRole);
            await Assert.That(large.Status).IsEqualTo(200);
        }
    }

    [Test]
    public async Task A_bad_limit_is_a_one_line_usage_error()
    {
        using var dir = new TempDir("storage-badlimit");
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", dir.Combine("data"), "--port", "0", "--storage-file-size-limit", "lots"]);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("--storage-file-size-limit: 'lots' is not a size");
        await File.WriteAllTextAsync(dir.Combine("config.toml"), "[storage]\nfile_size_limit = \"huge\"\n");
        var (code2, _, stderr2) = await HearthProcess.RunAsync(["serve", "--supabase", dir.Path, "--data-dir", dir.Combine("data"), "--port", "0"]);
        await Assert.That(code2).IsEqualTo(2);
        await Assert.That(stderr2.Trim().Split('\n').Length).IsEqualTo(1).Because(stderr2);
        await Assert.That(stderr2).Contains("storage.file_size_limit is not a size");
    }
}
