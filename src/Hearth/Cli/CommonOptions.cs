using System.CommandLine;

namespace Hearth.Cli;

/// <summary>The options `serve` and `migrate` share, and how they become <see cref="HearthOptions"/>.</summary>
internal sealed class CommonOptions
{
    public Option<string?> DataDir { get; } = OptionFactory.Text("--data-dir", "Folder holding the embedded PostgreSQL and Hearth's state.", "./hearth-data");
    public Option<string?> Migrations { get; } = OptionFactory.Text("--migrations", "Folder of *.sql migrations, applied in lexical order.");
    public Option<string?> DatabaseUrl { get; } = OptionFactory.Text("--database-url", "Use this PostgreSQL (postgres://… URL or connection string) instead of the embedded one.");

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Migrations);
        command.Options.Add(DatabaseUrl);
    }

    public HearthOptions Read(ParseResult r) => new()
    {
        DataDir = r.GetValue(DataDir) ?? "./hearth-data",
        MigrationsDir = r.GetValue(Migrations),
        DatabaseUrl = r.GetValue(DatabaseUrl),
    };
}
