using Microsoft.Extensions.FileSystemGlobbing;

namespace Hearth.Supabase;

/// <summary>
/// --supabase DIR applied to the options: config.toml's settings where no flag (or HEARTH_* variable) was
/// given — flags win — migrations from DIR/migrations, seeds from [db.seed], Supabase's search path.
/// </summary>
public static class SupabaseProject
{
    /// <param name="given">Whether a flag was given on the command line or through its HEARTH_* variable.</param>
    /// <param name="warn">Where the one-line warnings go (stderr before logging starts).</param>
    public static HearthOptions Apply(HearthOptions options, Func<string, bool> given, Action<string> warn)
    {
        if (options.SupabaseDir is not { } dir) return options;
        var config = SupabaseConfig.Load(dir);
        foreach (var warning in config.Warnings) warn(warning);
        var migrations = Path.Combine(dir, "migrations");
        return options with
        {
            MigrationsDir = given("--migrations") || !Directory.Exists(migrations) ? options.MigrationsDir : migrations,
            SeedFiles = given("--seed") ? options.SeedFiles : config.SeedEnabled ? SeedFiles(dir, config, warn) : [],
            Port = !given("--port") && !options.Sidecar && config.ApiPort is { } port ? port : options.Port,
            Schemas = !given("--schemas") && config.ApiSchemas is { Count: > 0 } schemas ? schemas : options.Schemas,
            DbExtraSearchPath = given("--db-extra-search-path") ? options.DbExtraSearchPath
                : config.ApiExtraSearchPath ?? HearthOptions.DefaultExtraSearchPath(supabase: true),
            DbMaxRows = !given("--db-max-rows") && config.ApiMaxRows is { } rows ? rows : options.DbMaxRows,
            JwtKeys = options.JwtKeys ?? (config.JwtSecret is { } secret ? Auth.JwtKeySet.Parse(secret, false, _ => secret) : null),
            AuthServer = config.Auth,
            Storage = !given("--storage-file-size-limit") && config.StorageFileSizeLimit is { } limit ? options.Storage with { FileSizeLimit = limit } : options.Storage,
            Realtime = config.Realtime.ApplyTo(options.Realtime, given),
        };
    }

    /// <summary>[db.seed] sql_paths relative to the project folder, globs expanded (each pattern's matches in order), duplicates once.</summary>
    private static IReadOnlyList<string> SeedFiles(string dir, SupabaseConfig config, Action<string> warn)
    {
        var files = new List<string>();
        foreach (var pattern in config.SeedPaths)
        {
            var matches = Expand(dir, pattern);
            if (matches.Count == 0 && config.SeedPathsGiven) warn($"{Path.Combine(dir, "config.toml")}: [db.seed] sql_paths: no file matches '{pattern}'.");
            files.AddRange(matches.Where(m => !files.Contains(m)));
        }
        return files;
    }

    private static List<string> Expand(string dir, string pattern)
    {
        var relative = pattern.StartsWith("./", StringComparison.Ordinal) ? pattern[2..] : pattern;
        if (relative.IndexOfAny(['*', '?', '[']) < 0)
        {
            var file = Path.GetFullPath(Path.Combine(dir, relative));
            return File.Exists(file) ? [file] : [];
        }
        var matcher = new Matcher(StringComparison.Ordinal);
        matcher.AddInclude(relative);
        return matcher.GetResultsInFullPath(dir).Order(StringComparer.Ordinal).ToList();
    }
}
