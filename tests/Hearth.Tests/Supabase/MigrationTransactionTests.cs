using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Supabase;

/// <summary>Migration files with their own transaction control, and failures reported as file:line, one line.</summary>
public class MigrationTransactionTests
{
    private static void Write(string folder, string name, string sql)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), sql);
    }

    [Test]
    public async Task A_failing_file_with_begin_commit_is_reported_by_line_and_leaves_database_and_records_agreeing()
    {
        using var dir = new TempDir("txmig");
        var data = dir.Combine("data");
        var migrations = dir.Combine("migrations");
        Write(migrations, "001_ok.sql", "begin;\ncreate table kept (id int);\ncommit;\n");
        // Before: the first COMMIT ended Hearth's transaction, "half" stayed without a record, and a stack trace followed.
        Write(migrations, "002_bad.sql", "begin;\ncreate table half (id int);\ncommit;\n\nbegin;\ninsert into half\n  values (1), ('x');\ncommit;\n");

        var (code, stdout, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(1);
        // Logs go to stderr too; the failure itself is exactly one "hearth:" line.
        await Assert.That(stderr.Split('\n').Count(l => l.StartsWith("hearth:", StringComparison.Ordinal))).IsEqualTo(1).Because(stderr);
        await Assert.That(stderr).Contains("002_bad.sql:7:"); // the statement starts on line 6; PostgreSQL points into line 7
        await Assert.That(stderr).Contains("invalid input syntax for type integer");
        await Assert.That(stderr).DoesNotContain("   at ");
        await Assert.That(stderr).DoesNotContain("Exception");

        Write(migrations, "002_bad.sql", "create index concurrently kept_id on kept (id);\n");
        // The changed 002 was never applied, so editing it is fine; CONCURRENTLY cannot run in the file's transaction.
        (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("002_bad.sql:1:");
        await Assert.That(stderr).Contains("cannot run inside a transaction block");

        Write(migrations, "002_bad.sql", "begin;\nselect 1;\nrollback;\n");
        (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("002_bad.sql:3: 'rollback' cannot run in a migration");

        File.Delete(Path.Combine(migrations, "002_bad.sql"));
        await using var hearth = await HearthProcess.ServeAsync(data, migrations);
        var db = Db.ConnectionString(data);
        await Assert.That(await Db.ScalarAsync<string>(db, "select string_agg(name, ',') from hearth.schema_migrations")).IsEqualTo("001_ok.sql");
        await Assert.That(await Db.ScalarAsync<bool>(db, "select to_regclass('public.half') is null and to_regclass('public.kept') is not null")).IsTrue();
    }

    [Test]
    public async Task Seed_flag_runs_once_after_the_first_migrations()
    {
        using var dir = new TempDir("seedflag");
        var data = dir.Combine("data");
        var migrations = dir.Combine("migrations");
        Write(migrations, "001.sql", "create table t (id int primary key);");
        var seed = dir.Combine("seed.sql");
        await File.WriteAllTextAsync(seed, "begin; insert into t values (1); commit;");
        for (var run = 0; run < 2; run++)
        {
            var (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations, "--seed", seed]);
            await Assert.That(code).IsEqualTo(0).Because(stderr);
        }
        await using var hearth = await HearthProcess.ServeAsync(data);
        await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from t")).IsEqualTo(1L);
    }
}
