using Npgsql;

namespace Hearth.TypeGen;

/// <summary>A column's type as generated types need it: the pg_type name (domains resolved to their base) and identity.</summary>
public sealed record ColumnType(string TypeName, bool IdentityAlways, bool Updatable);

public sealed record EnumType(string Schema, string Name, IReadOnlyList<string> Labels);

public sealed record CompositeType(string Schema, string Name, IReadOnlyList<(string Name, string TypeName)> Attributes);

/// <summary>A function argument; Mode is pg_proc's: i, o, b (inout), v (variadic), t (table).</summary>
public sealed record FunctionArg(string Name, string TypeName, string Mode, bool HasDefault);

/// <summary>A function as `gen types` shows it. ReturnRelation is the table or view (schema, name) whose row type it returns.</summary>
public sealed record FunctionFacts(string Schema, string Name, IReadOnlyList<FunctionArg> Args, string ArgumentTypes, string ReturnTypeName,
    (string Schema, string Name)? ReturnRelation, bool ReturnsSet, float Rows);

/// <summary>
/// The catalog facts generated types need beyond the schema cache's (which stays lean for requests):
/// pg_type names of columns, enums with their labels, composite types, every function's arguments.
/// </summary>
public sealed record TypeFacts(
    IReadOnlyDictionary<(string Schema, string Table, string Column), ColumnType> Columns,
    IReadOnlyList<EnumType> Enums,
    IReadOnlyList<CompositeType> Composites,
    IReadOnlyList<FunctionFacts> Functions)
{
    public static async Task<TypeFacts> LoadAsync(NpgsqlDataSource db, IReadOnlyList<string> schemas, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var columns = new Dictionary<(string, string, string), ColumnType>();
        await Read(conn, """
            select n.nspname, c.relname, a.attname, case when t.typtype = 'd' then bt.typname else t.typname end,
                   a.attidentity = 'a', pg_column_is_updatable(c.oid, a.attnum, false)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            join pg_type t on t.oid = a.atttypid left join pg_type bt on bt.oid = t.typbasetype
            where c.relkind in ('r', 'p', 'v', 'm', 'f') and n.nspname = any($1)
            """, schemas, r => columns[(r.GetString(0), r.GetString(1), r.GetString(2))] = new ColumnType(r.GetString(3), r.GetBoolean(4), r.GetBoolean(5)), ct);

        // Every enum and composite type (not only the exposed schemas': a column may use another schema's).
        var enums = new List<EnumType>();
        await Read(conn, """
            select n.nspname, t.typname, array_agg(e.enumlabel order by e.enumsortorder)
            from pg_type t join pg_namespace n on n.oid = t.typnamespace join pg_enum e on e.enumtypid = t.oid
            group by n.nspname, t.typname
            """, null, r => enums.Add(new EnumType(r.GetString(0), r.GetString(1), r.GetFieldValue<string[]>(2))), ct);
        var composites = new List<CompositeType>();
        await Read(conn, """
            select n.nspname, t.typname,
                   array_agg(a.attname::text order by a.attnum), array_agg((case when at.typtype = 'd' then bt.typname else at.typname end)::text order by a.attnum)
            from pg_type t join pg_namespace n on n.oid = t.typnamespace
            join pg_class c on c.oid = t.typrelid and c.relkind = 'c'
            join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            join pg_type at on at.oid = a.atttypid left join pg_type bt on bt.oid = at.typbasetype
            where n.nspname not in ('pg_catalog', 'information_schema')
            group by n.nspname, t.typname
            """, null, r => composites.Add(new CompositeType(r.GetString(0), r.GetString(1),
                r.GetFieldValue<string[]>(2).Zip(r.GetFieldValue<string[]>(3)).ToList())), ct);

        var functions = new List<FunctionFacts>();
        await Read(conn, """
            select n.nspname, p.proname, pg_get_function_arguments(p.oid), rt.typname, rn.nspname, rc.relname, p.proretset, p.prorows, p.pronargs, p.pronargdefaults,
                   coalesce(array(select coalesce(nullif(x.nm, ''), '') from unnest(coalesce(p.proargnames, array_fill(''::text, array[coalesce(array_length(p.proallargtypes, 1), p.pronargs)]))) with ordinality x(nm, i) order by i), '{}'),
                   coalesce(array(select (case when t.typtype = 'd' then bt.typname else t.typname end)::text
                                  from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) with ordinality x(ty, i)
                                  join pg_type t on t.oid = x.ty left join pg_type bt on bt.oid = t.typbasetype order by i), '{}'),
                   coalesce(array(select m::text from unnest(p.proargmodes) m), '{}')
            from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            join pg_type rt on rt.oid = p.prorettype
            left join pg_class rc on rc.oid = rt.typrelid and rc.relkind in ('r', 'p', 'v', 'm', 'f')
            left join pg_namespace rn on rn.oid = rc.relnamespace
            where n.nspname = any($1) and p.prokind = 'f' and rt.typname not in ('trigger', 'event_trigger')
            """, schemas, r =>
        {
            var names = r.GetFieldValue<string[]>(10);
            var types = r.GetFieldValue<string[]>(11);
            var modes = r.GetFieldValue<string[]>(12);
            var inputCount = r.GetInt16(8);
            var defaults = r.GetInt16(9);
            var args = new List<FunctionArg>();
            var inputIndex = 0;
            for (var i = 0; i < types.Length; i++)
            {
                var mode = modes.Length > 0 ? modes[i] : "i";
                var isInput = mode is "i" or "b" or "v";
                args.Add(new FunctionArg(i < names.Length ? names[i] : "", types[i], mode, isInput && inputIndex >= inputCount - defaults));
                if (isInput) inputIndex++;
            }
            functions.Add(new FunctionFacts(r.GetString(0), r.GetString(1), args, r.GetString(2), r.GetString(3),
                r.IsDBNull(4) ? null : (r.GetString(4), r.GetString(5)), r.GetBoolean(6), r.GetFloat(7)));
        }, ct);
        return new TypeFacts(columns, enums, composites, functions);
    }

    private static async Task Read(NpgsqlConnection conn, string sql, IReadOnlyList<string>? schemas, Action<NpgsqlDataReader> row, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        if (schemas is not null) cmd.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) row(reader);
    }
}
