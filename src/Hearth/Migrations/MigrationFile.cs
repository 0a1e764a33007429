using System.Security.Cryptography;

namespace Hearth.Migrations;

/// <summary>One *.sql file of the migrations folder: its name (the key), text and SHA-256 checksum.</summary>
public sealed record MigrationFile(string Name, string Sql, string Checksum)
{
    public static IReadOnlyList<MigrationFile> ReadFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new MigrationException($"The migrations folder '{folder}' does not exist.");
        return Directory.EnumerateFiles(folder, "*.sql")
            .Order(StringComparer.Ordinal)
            .Select(path =>
            {
                var bytes = File.ReadAllBytes(path);
                return new MigrationFile(Path.GetFileName(path), System.Text.Encoding.UTF8.GetString(bytes),
                    Convert.ToHexStringLower(SHA256.HashData(bytes)));
            })
            .ToList();
    }

    /// <summary>
    /// `migration new`: an empty file named as the Supabase CLI names them (UTC yyyyMMddHHmmss_name.sql, so
    /// files sort in creation order). Never overwrites. Returns the exit code.
    /// </summary>
    public static int CreateNew(string folder, string name, DateTime utcNow, TextWriter output, TextWriter error)
    {
        var path = Path.Combine(folder, $"{utcNow:yyyyMMddHHmmss}_{name}.sql");
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"hearth: cannot create {path}: {e.Message}");
            return 1;
        }
        output.WriteLine($"Created new migration at {path}");
        return 0;
    }
}
