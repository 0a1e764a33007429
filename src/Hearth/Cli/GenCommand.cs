using System.CommandLine;
using Hearth.Hosting;

namespace Hearth.Cli;

/// <summary>`hearth gen types typescript` (the Supabase CLI's command).</summary>
internal static class GenCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var schema = OptionFactory.Text("--schema", "Comma-separated schemas to generate types for.", "public");
        var typescript = new Command("typescript", "Print the TypeScript Database type of the schemas, as `supabase gen types typescript` does, for createClient<Database>.");
        common.AddTo(typescript);
        typescript.Options.Add(schema);
        typescript.SetAction((r, ct) => CommandRunner.RunAsync(() =>
        {
            var schemas = (r.GetValue(schema) ?? "public").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            if (schemas.Count == 0) throw new HearthUsageException("--schema: give at least one schema name.");
            var options = common.ReadWithProject(r, common.Read(r)) with { Schemas = schemas };
            return TypeGen.GenTypesRun.RunAsync(options, Console.Out, ct);
        }));
        return new Command("gen", "Generate code from the database.") { new Command("types", "Generate types from the database schema.") { typescript } };
    }
}
