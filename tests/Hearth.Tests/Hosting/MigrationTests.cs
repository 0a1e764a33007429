using System.Net;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Hosting;

public class MigrationTests
{
    private static void Write(string folder, string name, string sql)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name), sql);
    }

    [Test]
    public async Task Migrate_applies_files_in_lexical_order_and_records_them()
    {
        using var dir = new TempDir("migrate");
        var data = dir.Combine("data");
        var migrations = dir.Combine("migrations");
        // Lexical order: the table must exist before the insert runs.
        Write(migrations, "20240102000000_insert.sql", "insert into t values (1);");
        Write(migrations, "20240101000000_create.sql", "create table t (id int primary key);");

        var (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        // Running again applies nothing and still succeeds.
        (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);

        await using var hearth = await HearthProcess.ServeAsync(data);
        var recorded = await Db.ScalarAsync<string>(Db.ConnectionString(data),
            "select string_agg(name || ':' || length(checksum), ',' order by applied_at, name) from hearth.schema_migrations");
        await Assert.That(recorded).IsEqualTo("20240101000000_create.sql:64,20240102000000_insert.sql:64");
        await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from t")).IsEqualTo(1L);
    }

    [Test]
    public async Task A_failing_migration_stops_startup_names_the_file_and_leaves_no_trace()
    {
        using var dir = new TempDir("badmig");
        var data = dir.Combine("data");
        var migrations = dir.Combine("migrations");
        Write(migrations, "001_good.sql", "create table good (id int); grant select on good to anon;");
        Write(migrations, "002_bad.sql", "create table half (id int);\ngrant select on half to anon;\nselect 1/0;");

        var (code, stdout, stderr) = await HearthProcess.RunAsync(["serve", "--data-dir", data, "--migrations", migrations, "--port", "0"]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("002_bad.sql");
        await Assert.That(stderr).Contains("division by zero");
        await Assert.That(stdout).DoesNotContain("listening");
        await Assert.That(PostgresProcesses.ProcessesUsing(data)).IsEmpty(); // no postgres left behind

        // The database is as it was before 002: good exists, half does not.
        File.Delete(Path.Combine(migrations, "002_bad.sql"));
        await using var hearth = await HearthProcess.ServeAsync(data, migrations);
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        await Assert.That((await http.GetAsync("good")).StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await http.GetAsync("half")).StatusCode).IsEqualTo(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task An_edited_applied_migration_stops_startup_and_names_the_file()
    {
        using var dir = new TempDir("edited");
        var data = dir.Combine("data");
        var migrations = dir.Combine("migrations");
        Write(migrations, "001_create.sql", "create table t (id int);");
        var (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);

        Write(migrations, "001_create.sql", "create table t (id bigint);");
        Write(migrations, "002_more.sql", "create table u (id int);");
        (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", data, "--migrations", migrations]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("Migration '001_create.sql' was changed after it was applied");

        // Nothing after the edited file ran either.
        await using var hearth = await HearthProcess.ServeAsync(data);
        await Assert.That(await Db.ScalarAsync<long>(Db.ConnectionString(data), "select count(*) from hearth.schema_migrations")).IsEqualTo(1L);
    }

    [Test]
    public async Task A_missing_migrations_folder_is_a_clear_error()
    {
        using var dir = new TempDir("nomig");
        var (code, _, stderr) = await HearthProcess.RunAsync(["migrate", "--data-dir", dir.Combine("data"), "--migrations", dir.Combine("nowhere")]);
        await Assert.That(code).IsEqualTo(1);
        await Assert.That(stderr).Contains("does not exist");
    }
}
