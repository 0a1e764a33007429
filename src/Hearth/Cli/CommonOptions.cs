using System.CommandLine;

namespace Hearth.Cli;

/// <summary>The options `serve` and `migrate` share, and how they become <see cref="HearthOptions"/>.</summary>
internal sealed class CommonOptions
{
    public Option<string?> DataDir { get; } = OptionFactory.Text("--data-dir", "Folder holding the embedded PostgreSQL and Hearth's state.", HearthOptions.DefaultDataDir);
    public Option<string?> Migrations { get; } = OptionFactory.Text("--migrations", "Folder of *.sql migrations, applied in lexical order.");
    public Option<string?> DatabaseUrl { get; } = OptionFactory.Text("--database-url", "Use this PostgreSQL (postgres://… URL or connection string) instead of the embedded one.");
    public Option<string?> Supabase { get; } = OptionFactory.Text("--supabase", "Supabase CLI project folder (config.toml, migrations/, seed.sql): serve it as Supabase does.");
    public Option<string?> AdminDatabaseUrl { get; } = OptionFactory.Text("--admin-database-url",
        "With --database-url: the database owner's URL, used for migrations, seeds, the Supabase baseline and the auth server; the --database-url user then only needs to be an authenticator.");
    public Option<bool> PreparedStatements { get; } = OptionFactory.Toggle("--db-prepared-statements",
        "Let PostgreSQL keep prepared statements and session settings across requests; false behind a transaction-mode pooler (PgBouncer, Supavisor): every setting is then transaction-local.", true);
    public Option<string[]> Seed { get; } = OptionFactory.List("--seed", "SQL file run once after the migrations of a brand-new database; repeatable (env: comma-separated).");

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Migrations);
        command.Options.Add(DatabaseUrl);
        command.Options.Add(AdminDatabaseUrl);
        command.Options.Add(PreparedStatements);
        command.Options.Add(Supabase);
        command.Options.Add(Seed);
    }

    public HearthOptions Read(ParseResult r) => new()
    {
        DataDir = r.GetValue(DataDir) ?? HearthOptions.DefaultDataDir,
        MigrationsDir = r.GetValue(Migrations),
        DatabaseUrl = r.GetValue(DatabaseUrl),
        AdminDatabaseUrl = r.GetValue(AdminDatabaseUrl),
        DbPreparedStatements = r.GetValue(PreparedStatements),
        SupabaseDir = r.GetValue(Supabase),
        SeedFiles = (r.GetValue(Seed) ?? []).Select(Path.GetFullPath).ToList(),
    };

    /// <summary>Whether --data-dir was given (flag or HEARTH_DATA_DIR) rather than left to its default.</summary>
    public bool DataDirGiven(System.CommandLine.Parsing.SymbolResult r) =>
        r.GetResult(DataDir) is { Implicit: false } || Environment.GetEnvironmentVariable(OptionFactory.EnvName(DataDir.Name)) is { Length: > 0 };

    /// <summary>Whether a flag was given on the command line or through its HEARTH_* variable (then it wins over config.toml).</summary>
    public static Func<string, bool> Given(ParseResult r) => flag =>
        r.CommandResult.Command.Options.FirstOrDefault(o => o.Name == flag) is { } option && r.GetResult(option) is { Implicit: false }
        || Environment.GetEnvironmentVariable(OptionFactory.EnvName(flag)) is { Length: > 0 };

    /// <summary>
    /// These options with --supabase's project applied (its warnings go to stderr, one line each), then
    /// HEARTH_AUTH_* variables over the [auth] settings.
    /// </summary>
    public HearthOptions ReadWithProject(ParseResult r, HearthOptions options)
    {
        var withProject = global::Hearth.Supabase.SupabaseProject.Apply(options, Given(r), w => Console.Error.WriteLine("hearth: warning: " + w));
        return withProject with { AuthServer = withProject.AuthServer.WithEnvironment(Environment.GetEnvironmentVariable) };
    }
}
