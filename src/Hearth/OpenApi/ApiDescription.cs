using Hearth.Schema;
using Npgsql;

namespace Hearth.OpenApi;

/// <summary>A column as the OpenAPI documents describe it.</summary>
public sealed record ApiColumn(string Name, string Type, bool Nullable, string? Default, string? Description, IReadOnlyList<string> Enum, int? MaxLength,
    bool PrimaryKey, (string Table, string Column)? ForeignKey);

public sealed record ApiTable(string Name, string? Description, IReadOnlyList<ApiColumn> Columns, bool Writable);

public sealed record ApiParam(string Name, string Type, bool Required, bool Variadic);

public sealed record ApiFunction(string Name, string? Description, IReadOnlyList<ApiParam> Params, bool Volatile);

/// <summary>
/// What one schema exposes to one role, as PostgREST's OpenAPI output shows it (its default
/// openapi-mode, follow-privileges): the tables and views the role holds a privilege on and the functions
/// it may execute, from the schema cache, plus the facts only the documents need (COMMENT ON text, enum
/// labels, varchar lengths), read from the catalog per request: documentation is not a hot path.
/// </summary>
public sealed record ApiDescription(string? SchemaDescription, IReadOnlyList<ApiTable> Tables, IReadOnlyList<ApiFunction> Functions)
{
    public static async Task<ApiDescription> LoadAsync(NpgsqlDataSource db, SchemaModel model, string schema, string role, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        string? schemaDescription;
        await using (var cmd = new NpgsqlCommand("select obj_description(oid, 'pg_namespace') from pg_namespace where nspname = $1", conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
            schemaDescription = await cmd.ExecuteScalarAsync(ct) as string;
        }

        // Per relation: readable/writable by the role, its comment; per column: comment, enum labels, length.
        var visible = new Dictionary<string, (bool Writable, string? Description)>(StringComparer.Ordinal);
        var columnFacts = new Dictionary<(string, string), (string? Description, string[] Enum, int? MaxLength)>();
        await using (var cmd = new NpgsqlCommand("""
            select c.relname,
                   has_table_privilege($2, c.oid, 'INSERT') or has_table_privilege($2, c.oid, 'UPDATE') or has_table_privilege($2, c.oid, 'DELETE'),
                   obj_description(c.oid, 'pg_class'), a.attname, col_description(c.oid, a.attnum),
                   coalesce(array(select e.enumlabel::text from pg_enum e where e.enumtypid = coalesce(nullif(t.typbasetype, 0), t.oid) order by e.enumsortorder), '{}'),
                   information_schema._pg_char_max_length(information_schema._pg_truetypid(a.*, t.*), information_schema._pg_truetypmod(a.*, t.*))
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            join pg_type t on t.oid = a.atttypid
            where n.nspname = $1 and c.relkind in ('r', 'v', 'm', 'f', 'p')
              and (has_table_privilege($2, c.oid, 'SELECT') or has_table_privilege($2, c.oid, 'INSERT')
                   or has_table_privilege($2, c.oid, 'UPDATE') or has_table_privilege($2, c.oid, 'DELETE'))
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
            cmd.Parameters.Add(new NpgsqlParameter { Value = role });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var table = reader.GetString(0);
                visible[table] = (reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                columnFacts[(table, reader.GetString(3))] = (reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetFieldValue<string[]>(5),
                    reader.IsDBNull(6) ? null : reader.GetInt32(6));
            }
        }

        var functions = new List<ApiFunction>();
        await using (var cmd = new NpgsqlCommand("""
            select p.proname, obj_description(p.oid, 'pg_proc') from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = $1 and p.prokind = 'f' and has_function_privilege($2, p.oid, 'EXECUTE')
            order by p.proname
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schema });
            cmd.Parameters.Add(new NpgsqlParameter { Value = role });
            var executable = new Dictionary<string, string?>(StringComparer.Ordinal);
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) executable.TryAdd(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
            foreach (var (name, description) in executable)
            {
                // Overloads share a path: the first one with every parameter named, as PostgREST can call it by name.
                var routine = model.FindRoutines(schema, name).FirstOrDefault(r => r.Params.All(p => p.Name.Length > 0) || r.Params is [{ Name.Length: 0, Type: "json" or "jsonb" or "text" or "xml" or "bytea" }]);
                if (routine is null || routine.ReturnType is "trigger" or "event_trigger") continue;
                functions.Add(new ApiFunction(name, description,
                    routine.Params.Where(p => p.Name.Length > 0).Select(p => new ApiParam(p.Name, p.Type, !p.HasDefault, p.Variadic)).ToList(),
                    routine.Volatility == Volatility.Volatile));
            }
        }

        var tables = new List<ApiTable>();
        foreach (var relation in model.Relations.Where(r => r.Schema == schema && visible.ContainsKey(r.Name)).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var (writable, description) = visible[relation.Name];
            var keys = model.ForeignKeys.Where(k => k.Schema == schema && k.Table == relation.Name && k.Columns.Count == 1)
                .OrderBy(k => model.FindRelation(k.ForeignSchema, k.ForeignTable)?.Kind == RelationKind.Table ? 0 : 1).ToList();
            var columns = relation.Columns.OrderBy(c => c.Position).Select(c =>
            {
                var facts = columnFacts.GetValueOrDefault((relation.Name, c.Name));
                var fk = keys.FirstOrDefault(k => k.Columns[0] == c.Name);
                return new ApiColumn(c.Name, c.Type, c.Nullable, c.Generated ? null : c.DefaultSql, facts.Description, facts.Enum ?? [], facts.MaxLength,
                    relation.PrimaryKey.Contains(c.Name), fk is null ? null : (fk.ForeignTable, fk.ForeignColumns[0]));
            }).ToList();
            tables.Add(new ApiTable(relation.Name, description, columns,
                writable && relation.Kind is not RelationKind.MaterializedView && (relation.CanInsert || relation.CanUpdate || relation.CanDelete)));
        }
        return new ApiDescription(schemaDescription, tables, functions);
    }
}
