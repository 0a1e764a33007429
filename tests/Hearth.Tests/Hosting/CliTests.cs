using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

public class CliTests
{
    [Test]
    public async Task Version_prints_the_version_and_exits_zero()
    {
        var (code, stdout, _) = await HearthProcess.RunAsync(["--version"]);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(stdout.Trim()).Matches(@"^\d+\.\d+\.\d+");
    }

    [Test]
    public async Task Help_lists_the_commands()
    {
        var (code, stdout, _) = await HearthProcess.RunAsync(["--help"]);
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(stdout).Contains("serve");
        await Assert.That(stdout).Contains("migrate");
    }

    [Test]
    public async Task Serve_help_lists_every_documented_option()
    {
        var (code, stdout, _) = await HearthProcess.RunAsync(["serve", "--help"]);
        await Assert.That(code).IsEqualTo(0);
        foreach (var flag in new[] { "--data-dir", "--migrations", "--host", "--port", "--schemas", "--anon-role", "--database-url", "HEARTH_PORT" })
            await Assert.That(stdout).Contains(flag);
    }

    [Test]
    [Arguments("serve", "--no-such-flag")]
    [Arguments("serve", "--port", "abc")]
    [Arguments("serve", "--port", "70000")]
    [Arguments("frobnicate")]
    public async Task Usage_errors_print_one_line_and_exit_2(string[] args)
    {
        var (code, stdout, stderr) = await HearthProcess.RunAsync(args);
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n').Length).IsEqualTo(1);
        await Assert.That(stderr).StartsWith("hearth: ");
        await Assert.That(stdout).IsEmpty();
    }

    [Test]
    public async Task A_bad_value_in_an_environment_variable_is_a_usage_error()
    {
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve"], new Dictionary<string, string> { ["HEARTH_PORT"] = "lots" });
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr).Contains("HEARTH_PORT");
    }

    [Test]
    public async Task Environment_variables_set_options_and_flags_win()
    {
        using var dir = new TempDir("env");
        var fromEnv = dir.Combine("from-env");
        var fromFlag = dir.Combine("from-flag");
        // HEARTH_DATA_DIR alone is used; with --data-dir the flag wins.
        var (code, _, stderr) = await HearthProcess.RunAsync(["migrate"], new Dictionary<string, string> { ["HEARTH_DATA_DIR"] = fromEnv });
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(Directory.Exists(Path.Combine(fromEnv, "pg_embed"))).IsTrue();

        (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", fromFlag], new Dictionary<string, string> { ["HEARTH_DATA_DIR"] = fromEnv + "-unused" });
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(Directory.Exists(Path.Combine(fromFlag, "pg_embed"))).IsTrue();
        await Assert.That(Directory.Exists(fromEnv + "-unused")).IsFalse();
    }
}
