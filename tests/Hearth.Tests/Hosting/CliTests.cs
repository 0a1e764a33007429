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
        foreach (var flag in new[] { "--data-dir", "--migrations", "--host", "--port", "--schemas", "--anon-role", "--database-url", "HEARTH_PORT",
                     "--db-pool", "HEARTH_DB_POOL", "--db-pool-acquisition-timeout", "HEARTH_DB_POOL_ACQUISITION_TIMEOUT",
                     "--database-replication-url", "HEARTH_DATABASE_REPLICATION_URL" })
            await Assert.That(stdout).Contains(flag);
    }

    [Test]
    [Arguments("serve", "--no-such-flag")]
    [Arguments("serve", "--port", "abc")]
    [Arguments("serve", "--port", "70000")]
    [Arguments("serve", "--db-statement-timeout", "-1")]
    [Arguments("serve", "--db-statement-timeout", "9999999999")]
    [Arguments("serve", "--db-pool", "0")]
    [Arguments("serve", "--db-pool-acquisition-timeout", "2000")]
    [Arguments("serve", "--database-replication-url", "postgresql://replicator@127.0.0.1/app")] // needs --database-url
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
    [Arguments("HEARTH_AUTH_ENABLE_SIGNUP", "maybe")]
    [Arguments("HEARTH_AUTH_JWT_EXPIRY", "soon")]
    [Arguments("HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH", "0")]
    public async Task A_bad_auth_setting_in_the_environment_is_a_usage_error(string name, string value)
    {
        using var dir = new TempDir("authenv");
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", dir.Combine("data")], new Dictionary<string, string> { [name] = value });
        await Assert.That(code).IsEqualTo(2);
        await Assert.That(stderr.Trim().Split('\n')).HasCount(1);
        await Assert.That(stderr).Contains(name);
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

    [Test]
    public async Task Help_never_shows_the_values_of_environment_variables()
    {
        var (code, stdout, _) = await HearthProcess.RunAsync(["serve", "--help"], new Dictionary<string, string>
        {
            ["HEARTH_JWT_SECRET"] = "top-secret-value-that-must-not-leak-0123456789",
            ["HEARTH_DATABASE_URL"] = "postgres://app:hunter2@db.example/app",
        });
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(0);
        await Assert.That(stdout).Contains("--jwt-secret");
        await Assert.That(stdout).Contains("[default: 3000]");
        await Assert.That(stdout).DoesNotContain("top-secret-value");
        await Assert.That(stdout).DoesNotContain("hunter2");
    }

    [Test]
    [Arguments("--jwt-secret", "short-secret-xyz", "at least 32 characters")]
    [Arguments("--jwt-secret", "@/no/such/key.json", "cannot read /no/such/key.json")]
    [Arguments("--jwt-secret", "{\"kty\":\"RSA\"}", "lacks its \"n\" member")]
    [Arguments("--jwt-role-claim-key", "role", "is not a claim path")]
    public async Task A_bad_auth_setting_stops_startup_with_one_line_and_no_secret(string flag, string value, string message)
    {
        using var dir = new TempDir("bad-auth");
        var (code, _, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", dir.Combine("data"), "--port", "0", flag, value]);
        using var _ = Assert.Multiple();
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains(message);
        if (value.StartsWith("short", StringComparison.Ordinal)) await Assert.That(stderr).DoesNotContain(value);
        await Assert.That(Directory.Exists(Path.Combine(dir.Combine("data"), "pg_embed"))).IsFalse(); // refused before PostgreSQL started
    }
}
