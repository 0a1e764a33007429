using System.Text;
using System.Text.Json;
using Hearth.Schema;

namespace Hearth.TypeGen;

/// <summary>
/// `hearth gen types typescript`: the `Database` type in the shape `supabase gen types typescript` prints it
/// (postgres-meta's format: Tables with Row/Insert/Update/Relationships, Views, Functions, Enums,
/// CompositeTypes, the Tables/TablesInsert/TablesUpdate/Enums/CompositeTypes helpers and Constants), plus
/// the PostgREST version marker postgrest-js reads. Relations and relationships come from the schema cache;
/// the rest from <see cref="TypeFacts"/>.
/// </summary>
public sealed class TypeScriptTypes(SchemaModel model, TypeFacts facts, IReadOnlyList<string> schemas)
{
    /// <summary>The PostgREST Hearth answers as (README): postgrest-js turns 13+ features on from this.</summary>
    public const string PostgrestVersion = "14";

    private readonly StringBuilder _out = new();
    private int _indent;
    private readonly List<string> _schemas = schemas.Distinct().OrderBy(s => s, NameOrder.Instance).ToList();

    public string Generate()
    {
        Line("export type Json =");
        foreach (var member in new[] { "string", "number", "boolean", "null", "{ [key: string]: Json | undefined }", "Json[]" }) Line("  | " + member);
        Line();
        Open("export type Database = {");
        Line("// postgrest-js reads this: createClient<Database>(url, key) then knows the server's PostgREST version");
        Open("__InternalSupabase: {");
        Line($"PostgrestVersion: {Str(PostgrestVersion)}");
        Close("}");
        foreach (var schema in _schemas) WriteSchema(schema);
        Close("}");
        Line();
        _out.Append(Helpers);
        Line();
        Open("export const Constants = {");
        foreach (var schema in _schemas)
        {
            Open($"{Key(schema)}: {{");
            var enums = EnumsOf(schema).ToList();
            if (enums.Count == 0) Line("Enums: {},");
            else
            {
                Open("Enums: {");
                foreach (var e in enums) Line($"{Key(e.Name)}: [{string.Join(", ", e.Labels.Select(Str))}],");
                Close("},");
            }
            Close("},");
        }
        Close("} as const");
        return _out.ToString();
    }

    private void WriteSchema(string schema)
    {
        Open($"{Key(schema)}: {{");
        var relations = model.Relations.Where(r => r.Schema == schema).OrderBy(r => r.Name, NameOrder.Instance).ToList();
        var functions = facts.Functions.Where(f => f.Schema == schema && Exposed(f)).ToList();

        Section("Tables", relations.Where(r => r.Kind is RelationKind.Table or RelationKind.PartitionedTable or RelationKind.ForeignTable), r => WriteRelation(r, functions, table: true));
        Section("Views", relations.Where(r => r.Kind is RelationKind.View or RelationKind.MaterializedView), r => WriteRelation(r, functions, table: false));
        Section("Functions", functions.GroupBy(f => f.Name).OrderBy(g => g.Key, NameOrder.Instance), g => WriteFunction(schema, g.OrderBy(f => f.ArgumentTypes, StringComparer.Ordinal).ToList()));
        Section("Enums", EnumsOf(schema), e => Line($"{Key(e.Name)}: {string.Join(" | ", e.Labels.Select(Str))}"));
        Section("CompositeTypes", facts.Composites.Where(c => c.Schema == schema).OrderBy(c => c.Name, NameOrder.Instance), c =>
        {
            Open($"{Key(c.Name)}: {{");
            foreach (var (name, type) in c.Attributes) Line($"{Key(name)}: {Nullable(TsType(schema, type), true)}");
            Close("}");
        });
        Close("}");
    }

    private void Section<T>(string name, IEnumerable<T> items, Action<T> write)
    {
        Open(name + ": {");
        var any = false;
        foreach (var item in items) { write(item); any = true; }
        if (!any) Line("[_ in never]: never");
        Close("}");
    }

    private void WriteRelation(Relation relation, List<FunctionFacts> functions, bool table)
    {
        var columns = relation.Columns.OrderBy(c => c.Name, NameOrder.Instance).ToList();
        Open($"{Key(relation.Name)}: {{");
        Open("Row: {");
        foreach (var c in columns) Line($"{Key(c.Name)}: {Nullable(TsType(relation.Schema, Facts(relation, c).TypeName), c.Nullable)}");
        // Computed fields: functions taking the row as their one unnamed argument.
        foreach (var f in functions.Where(f => f.ArgumentTypes == relation.Name).OrderBy(f => f.Name, NameOrder.Instance))
            Line($"{Key(f.Name)}: {Nullable(ReturnType(relation.Schema, f), true)}");
        Close("}");
        var writable = table || (relation.Kind == RelationKind.View && relation.CanInsert && relation.CanDelete);
        if (writable)
        {
            foreach (var (section, insert) in new[] { ("Insert", true), ("Update", false) })
            {
                Open(section + ": {");
                foreach (var c in columns)
                {
                    var type = Facts(relation, c);
                    if (table ? type.IdentityAlways : !type.Updatable) { Line($"{Key(c.Name)}?: never"); continue; }
                    var optional = !table || !insert || c.Nullable || c.HasDefault;
                    Line($"{Key(c.Name)}{(optional ? "?" : "")}: {Nullable(TsType(relation.Schema, type.TypeName), table ? c.Nullable : true)}");
                }
                Close("}");
            }
        }
        var keys = model.ForeignKeys.Where(k => k.Schema == relation.Schema && k.Table == relation.Name && k.ForeignSchema == relation.Schema)
            .OrderBy(k => k.Name, StringComparer.Ordinal).ThenBy(k => k.ForeignTable, StringComparer.Ordinal)
            .ThenBy(k => JsonArray(k.ForeignColumns), StringComparer.Ordinal).ToList();
        if (keys.Count == 0) Line("Relationships: []");
        else
        {
            Open("Relationships: [");
            foreach (var k in keys)
            {
                Open("{");
                Line($"foreignKeyName: {Str(k.Name)}");
                Line($"columns: {JsonArray(k.Columns)}");
                Line($"isOneToOne: {(relation.IsUnique(k.Columns) ? "true" : "false")}");
                Line($"referencedRelation: {Str(k.ForeignTable)}");
                Line($"referencedColumns: {JsonArray(k.ForeignColumns)}");
                Close("},");
            }
            Close("]");
        }
        Close("}");
    }

    private ColumnType Facts(Relation relation, Column column) =>
        facts.Columns.GetValueOrDefault((relation.Schema, relation.Name, column.Name)) ?? new ColumnType("unknown", false, false);

    /// <summary>What PostgREST can call: no arguments, all named, or one unnamed json/jsonb/text (the whole body) or row argument.</summary>
    private static bool Exposed(FunctionFacts f)
    {
        var inputs = Inputs(f);
        return inputs.Count == 0 || inputs.All(a => a.Name.Length > 0)
            || (inputs.Count == 1 && (inputs[0].TypeName is "json" or "jsonb" or "text" || f.ArgumentTypes.Length > 0));
    }

    private static List<FunctionArg> Inputs(FunctionFacts f) => f.Args.Where(a => a.Mode is "i" or "b" or "v").OrderBy(a => a.Name, NameOrder.Instance).ToList();

    private void WriteFunction(string schema, List<FunctionFacts> overloads)
    {
        if (overloads.Count == 1)
        {
            Open($"{Key(overloads[0].Name)}: {{");
            WriteSignature(schema, overloads[0]);
            Close("}");
            return;
        }
        Line($"{Key(overloads[0].Name)}:");
        _indent++;
        foreach (var f in overloads)
        {
            Open("| {");
            _indent++;
            WriteSignature(schema, f);
            _indent--;
            Close("  }");
        }
        _indent--;
    }

    private void WriteSignature(string schema, FunctionFacts f)
    {
        var inputs = Inputs(f);
        Line("Args: " + (inputs.Count == 0 ? "never"
            : "{ " + string.Join("; ", inputs.Select(a => $"{Key(a.Name)}{(a.HasDefault ? "?" : "")}: {TsType(schema, a.TypeName)}")) + " }"));
        var returnTable = f.ReturnRelation is { } rel && model.FindRelation(rel.Schema, rel.Name) is not null ? rel.Name : null;
        var manyRows = f.Rows > 1;
        var single = !manyRows && returnTable is not null;
        WriteReturns(schema, f, f.ReturnsSet && !single ? "[]" : "");
        if (returnTable is null) return;
        var rowArgument = inputs.Count == 1 && f.ArgumentTypes.Length > 0 && model.FindRelation(schema, f.ArgumentTypes) is not null ? f.ArgumentTypes : null;
        Open("SetofOptions: {");
        Line($"from: {Str(rowArgument ?? "*")}");
        Line($"to: {Str(returnTable)}");
        Line($"isOneToOne: {(rowArgument is not null && !f.ReturnsSet ? "true" : (!manyRows ? "true" : "false"))}");
        Line($"isSetofReturn: {(f.ReturnsSet ? "true" : "false")}");
        Close("}");
    }

    private void WriteReturns(string schema, FunctionFacts f, string suffix)
    {
        var type = ReturnType(schema, f);
        if (!type.Contains('\n')) { Line($"Returns: {type}{suffix}"); return; }
        var lines = type.Split('\n');
        Line("Returns: " + lines[0]);
        foreach (var l in lines[1..^1]) Line("  " + l);
        Line(lines[^1] + suffix);
    }

    /// <summary>RETURNS TABLE (…), a table's or view's row, or any other type; multi-line for row shapes.</summary>
    private string ReturnType(string schema, FunctionFacts f)
    {
        var table = f.Args.Where(a => a.Mode == "t").OrderBy(a => a.Name, NameOrder.Instance).ToList();
        if (table.Count > 0) return "{\n" + string.Join("\n", table.Select(a => $"{Key(a.Name)}: {TsType(schema, a.TypeName)}")) + "\n}";
        if (f.ReturnRelation is { } rel && rel.Schema == schema && model.FindRelation(rel.Schema, rel.Name) is { } relation)
            return "{\n" + string.Join("\n", relation.Columns.OrderBy(c => c.Name, NameOrder.Instance)
                .Select(c => $"{Key(c.Name)}: {Nullable(TsType(schema, Facts(relation, c).TypeName), c.Nullable)}")) + "\n}";
        return TsType(schema, f.ReturnTypeName);
    }

    /// <summary>PostgreSQL type (pg_type name, arrays with a leading underscore) to TypeScript, as Supabase maps them.</summary>
    private string TsType(string schema, string pgType)
    {
        switch (pgType)
        {
            case "bool": return "boolean";
            case "int2" or "int4" or "int8" or "float4" or "float8" or "numeric": return "number";
            case "bytea" or "bpchar" or "varchar" or "date" or "text" or "citext" or "time" or "timetz" or "timestamp" or "timestamptz"
                or "uuid" or "vector" or "interval": return "string";
            case "json" or "jsonb": return "Json";
            case "void": return "undefined";
            case "record": return "Record<string, unknown>";
        }
        if (pgType.StartsWith('_')) return TsType(schema, pgType[1..]) is var element && element.Contains(' ') ? $"({element})[]" : element + "[]";
        if (Pick(facts.Enums.Where(e => e.Name == pgType).ToList(), e => e.Schema, schema) is { } en)
            return _schemas.Contains(en.Schema) ? $"Database[{Str(en.Schema)}][\"Enums\"][{Str(en.Name)}]" : string.Join(" | ", en.Labels.Select(Str));
        if (Pick(facts.Composites.Where(c => c.Name == pgType).ToList(), c => c.Schema, schema) is { } co)
            return _schemas.Contains(co.Schema) ? $"Database[{Str(co.Schema)}][\"CompositeTypes\"][{Str(co.Name)}]" : "unknown";
        if (Pick(model.Relations.Where(r => r.Name == pgType).ToList(), r => r.Schema, schema) is { } row)
            return $"Database[{Str(row.Schema)}][{Str(row.Kind is RelationKind.View or RelationKind.MaterializedView ? "Views" : "Tables")}][{Str(row.Name)}][\"Row\"]";
        return "unknown";
    }

    private static T? Pick<T>(List<T> candidates, Func<T, string> schemaOf, string schema) where T : class =>
        candidates.FirstOrDefault(c => schemaOf(c) == schema) ?? candidates.FirstOrDefault();

    private IEnumerable<EnumType> EnumsOf(string schema) => facts.Enums.Where(e => e.Schema == schema).OrderBy(e => e.Name, NameOrder.Instance);

    private static string Nullable(string type, bool nullable) => !nullable || type is "unknown" or "any" ? type : type + " | null";

    private static string Str(string s) => "\"" + JsonEncodedText.Encode(s, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"";

    private static string JsonArray(IEnumerable<string> items) => "[" + string.Join(", ", items.Select(Str)) + "]";

    /// <summary>A property key: bare when it is a plain identifier, else a string.</summary>
    private static string Key(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$') ? name : Str(name);

    private void Open(string text) { Line(text); _indent++; }

    private void Close(string text) { _indent--; Line(text); }

    private void Line(string text = "")
    {
        if (text.Length > 0) _out.Append(' ', _indent * 2).Append(text);
        _out.Append('\n');
    }

    /// <summary>The helper types every generated file ends with; "public" is the default schema, as in Supabase's.</summary>
    private const string Helpers = """
        type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

        type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

        export type Tables<
          DefaultSchemaTableNameOrOptions extends
            | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
            | { schema: keyof DatabaseWithoutInternals },
          TableName extends DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
            ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
                DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
            : never = never,
        > = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
          ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
              DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends { Row: infer R }
            ? R
            : never
          : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
            ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends { Row: infer R }
              ? R
              : never
            : never

        export type TablesInsert<
          DefaultSchemaTableNameOrOptions extends
            | keyof DefaultSchema["Tables"]
            | { schema: keyof DatabaseWithoutInternals },
          TableName extends DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
            ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
            : never = never,
        > = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
          ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends { Insert: infer I }
            ? I
            : never
          : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
            ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends { Insert: infer I }
              ? I
              : never
            : never

        export type TablesUpdate<
          DefaultSchemaTableNameOrOptions extends
            | keyof DefaultSchema["Tables"]
            | { schema: keyof DatabaseWithoutInternals },
          TableName extends DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
            ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
            : never = never,
        > = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
          ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends { Update: infer U }
            ? U
            : never
          : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
            ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends { Update: infer U }
              ? U
              : never
            : never

        export type Enums<
          DefaultSchemaEnumNameOrOptions extends
            | keyof DefaultSchema["Enums"]
            | { schema: keyof DatabaseWithoutInternals },
          EnumName extends DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
            ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
            : never = never,
        > = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
          ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
          : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
            ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
            : never

        export type CompositeTypes<
          PublicCompositeTypeNameOrOptions extends
            | keyof DefaultSchema["CompositeTypes"]
            | { schema: keyof DatabaseWithoutInternals },
          CompositeTypeName extends PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
            ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
            : never = never,
        > = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
          ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
          : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
            ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
            : never

        """;
}
