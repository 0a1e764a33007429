namespace Hearth.Tests.Infrastructure;

/// <summary>Where the tests find the repository and the Hearth build they run.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    /// <summary>
    /// The command that runs Hearth: HEARTH_BIN (CI points it at the AOT binary) or the JIT build of
    /// src/Hearth in the same configuration as these tests, which has the PostgreSQL binaries beside it.
    /// </summary>
    public static (string FileName, string[] Prefix) HearthCommand()
    {
        if (Environment.GetEnvironmentVariable("HEARTH_BIN") is { Length: > 0 } bin) return (Path.GetFullPath(bin), []);
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(Root, "src", "Hearth", "bin", configuration, "net10.0", "hearth.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build src/Hearth first: {dll} is missing.");
        return ("dotnet", [dll]);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "global.json"))) return dir.FullName;
        throw new DirectoryNotFoundException("Could not find the repository root (global.json) above " + AppContext.BaseDirectory);
    }
}
