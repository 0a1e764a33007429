using System.Text.RegularExpressions;
using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.DevLoop;

/// <summary>
/// `hearth gen types typescript`: its output for a small schema, compared with a file written by hand in
/// the shape `supabase gen types typescript` prints (Fixtures/typegen_expected.ts), and the ways it reaches
/// the database. tests/typegen (a node job) type-checks supabase-js programs against the output.
/// </summary>
[ClassDataSource<SharedHearth>(Shared = SharedType.PerTestSession)]
public partial class GenTypesTests(SharedHearth shared)
{
    /// <summary>The helper types (Tables&lt;&gt;, …) are the same text for every schema; compared separately.</summary>
    private static string WithoutHelpers(string types) => HelperBlock().Replace(types, "\nexport const Constants");

    [Test]
    public async Task Output_for_a_small_schema_matches_the_supabase_shaped_expected_file()
    {
        using var dir = new TempDir("gentypes");
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["gen", "types", "typescript", "--data-dir", dir.Combine("data"),
            "--migrations", RepoPaths.Fixture("typegen_migrations")]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        var expected = await File.ReadAllTextAsync(RepoPaths.Fixture("typegen_expected.ts"));
        await Assert.That(WithoutHelpers(stdout)).IsEqualTo(expected);
        foreach (var helper in new[] { "export type Tables<", "export type TablesInsert<", "export type TablesUpdate<", "export type Enums<", "export type CompositeTypes<" })
            await Assert.That(stdout).Contains(helper);
        await Assert.That(stderr).DoesNotContain("info:"); // stdout is the file; the log stays quiet
    }

    [Test]
    public async Task Reads_a_running_servers_data_dir_and_a_database_url_and_takes_several_schemas()
    {
        // The shared Hearth serves its data dir right now: gen types reads it over the socket.
        var (code, stdout, stderr) = await HearthProcess.RunAsync(["gen", "types", "typescript", "--data-dir", shared.DataDir, "--schema", "public,other"]);
        await Assert.That(code).IsEqualTo(0).Because(stderr);
        await Assert.That(stdout).Contains("      authors: {");
        await Assert.That(stdout).Contains("  other: {");
        await Assert.That(stdout.IndexOf("  other: {", StringComparison.Ordinal)).IsLessThan(stdout.IndexOf("  public: {", StringComparison.Ordinal)); // sorted

        var url = $"postgresql://postgres@/postgres?host={Uri.EscapeDataString(Path.Combine(shared.DataDir, "run"))}";
        var external = await HearthProcess.RunAsync(["gen", "types", "typescript", "--database-url", url]);
        await Assert.That(external.ExitCode).IsEqualTo(0).Because(external.Stderr);
        await Assert.That(external.Stdout).Contains("      authors: {");
        await Assert.That(external.Stdout).DoesNotContain("  other: {");
    }

    [GeneratedRegex(@"\ntype DatabaseWithoutInternals.*?\nexport const Constants", RegexOptions.Singleline)]
    private static partial Regex HelperBlock();
}
