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
}
