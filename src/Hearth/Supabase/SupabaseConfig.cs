using Hearth.Hosting;
using Tomlyn;
using Tomlyn.Model;

namespace Hearth.Supabase;

/// <summary>What Hearth takes from a Supabase project's config.toml; nulls mean "not set there".</summary>
public sealed record SupabaseConfig
{
    public int? ApiPort { get; init; }
    public IReadOnlyList<string>? ApiSchemas { get; init; }
    public IReadOnlyList<string>? ApiExtraSearchPath { get; init; }
    public long? ApiMaxRows { get; init; }
    public bool SeedEnabled { get; init; } = true;
    /// <summary>[db.seed] sql_paths, relative to the project folder; globs allowed.</summary>
    public IReadOnlyList<string> SeedPaths { get; init; } = ["./seed.sql"];
    /// <summary>True when sql_paths was written (a pattern matching nothing is then worth a warning).</summary>
    public bool SeedPathsGiven { get; init; }
    public string? JwtSecret { get; init; }
    public AuthServer.AuthServerOptions Auth { get; init; } = new();
    /// <summary>[storage] file_size_limit in bytes, when set.</summary>
    public long? StorageFileSizeLimit { get; init; }
    public Realtime.RealtimeConfig Realtime { get; init; } = new();
    /// <summary>One line per setting Hearth does not apply.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Reads DIR/config.toml (a missing file is an empty config). A malformed file is one line naming file and line.</summary>
    public static SupabaseConfig Load(string projectDir)
    {
        var path = Path.Combine(projectDir, "config.toml");
        if (!Directory.Exists(projectDir)) throw new HearthUsageException($"--supabase: the folder '{projectDir}' does not exist.");
        if (!File.Exists(path)) return new SupabaseConfig();
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize(File.ReadAllText(path), SupabaseTomlContext.Default.TomlTable)
                   ?? throw new TomlException("empty document");
        }
        catch (TomlException e)
        {
            var where = e.Line is { } line ? $"{path}:{line}" : path;
            throw new HearthUsageException($"{where}: not valid TOML: {FirstLine(e.Message)}");
        }
        catch (IOException e)
        {
            throw new HearthUsageException($"{path}: cannot be read: {e.Message}");
        }
        return new SupabaseConfigReader(path).Read(root);
    }

    private static string FirstLine(string message)
    {
        var line = message.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "syntax error" : line;
    }
}
