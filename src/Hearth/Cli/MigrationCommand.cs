using System.CommandLine;

namespace Hearth.Cli;

/// <summary>`hearth migration new NAME` (the Supabase CLI's command): an empty, timestamped migration file.</summary>
internal static class MigrationCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var name = new Argument<string>("name") { Description = "What the migration does, e.g. create_todos." };
        var create = new Command("new", "Create <migrations>/<UTC timestamp>_<name>.sql (the folder of --migrations, or --supabase DIR's migrations/).") { name };
        create.Options.Add(common.Migrations);
        create.Options.Add(common.Supabase);
        create.Validators.Add(r =>
        {
            var value = r.GetValue(name) ?? "";
            if (value.Length == 0 || value.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || value.Contains('\\') || value is "." or "..")
                r.AddError($"migration new: '{value}' cannot be part of a file name.");
            if (r.GetValue(common.Migrations) is null && r.GetValue(common.Supabase) is null && !File.Exists(Path.Combine("supabase", "config.toml")))
                r.AddError("migration new: where do migrations live? Give --migrations DIR or --supabase DIR (or run it next to a supabase/ project folder).");
        });
        create.SetAction(r =>
        {
            var folder = r.GetValue(common.Migrations) ?? Path.Combine(r.GetValue(common.Supabase) ?? "supabase", "migrations");
            return Migrations.MigrationFile.CreateNew(folder, r.GetValue(name)!, DateTime.UtcNow, Console.Out, Console.Error);
        });
        return new Command("migration", "Manage migration files.") { create };
    }
}
