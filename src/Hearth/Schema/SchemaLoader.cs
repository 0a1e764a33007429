using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// Reads the exposed schemas' tables, views, columns, primary and foreign keys, functions, types and the
/// roles requests may use from pg_catalog (roles over <c>api</c>, the connection requests use).
/// </summary>
public static class SchemaLoader
{
    public static async Task<SchemaModel> LoadAsync(NpgsqlDataSource db, NpgsqlDataSource api, IReadOnlyList<string> schemas, IReadOnlyList<string> extraSearchPath, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var columns = new Dictionary<(string, string), List<Column>>();
        var kinds = new Dictionary<(string, string), RelationKind>();
        var updatable = new Dictionary<(string, string), int>();
        await using (var cmd = new NpgsqlCommand("""
            select n.nspname, c.relname, c.relkind::text, a.attname, format_type(a.atttypid, a.atttypmod),
                   not a.attnotnull, a.atthasdef or a.attidentity <> '' or a.attgenerated <> '', a.attnum,
                   case when a.attidentity <> '' then format('nextval(%L::regclass)', pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
                        when a.attgenerated = '' then pg_get_expr(d.adbin, d.adrelid) end,
                   a.attgenerated <> '',
                   pg_relation_is_updatable(c.oid, true)
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
            where c.relkind in ('r', 'v', 'm', 'f', 'p') and n.nspname = any($1)
            order by n.nspname, c.relname, a.attnum
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var key = (reader.GetString(0), reader.GetString(1));
                if (!columns.TryGetValue(key, out var list))
                {
                    columns[key] = list = [];
                    updatable[key] = reader.GetInt32(10);
                    kinds[key] = reader.GetString(2) switch
                    {
                        "v" => RelationKind.View,
                        "m" => RelationKind.MaterializedView,
                        "f" => RelationKind.ForeignTable,
                        "p" => RelationKind.PartitionedTable,
                        _ => RelationKind.Table,
                    };
                }
                if (!reader.IsDBNull(3))
                    list.Add(new Column(reader.GetString(3), reader.GetString(4), reader.GetBoolean(5), reader.GetBoolean(6), reader.GetInt16(7))
                    {
                        DefaultSql = reader.IsDBNull(8) ? null : reader.GetString(8),
                        Generated = reader.GetBoolean(9),
                    });
            }
        }

        var primaryKeys = new Dictionary<(string, string), List<string>>();
        var uniqueKeys = new Dictionary<(string, string), List<IReadOnlyList<string>>>();
        var foreignKeys = new List<ForeignKey>();
        await using (var cmd = new NpgsqlCommand("""
            select con.contype::text, con.conname, n.nspname, c.relname,
                   array(select a.attname from unnest(con.conkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum order by k.i),
                   fn.nspname, fc.relname,
                   array(select a.attname from unnest(con.confkey) with ordinality k(attnum, i)
                         join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.attnum order by k.i)
            from pg_constraint con
            join pg_class c on c.oid = con.conrelid
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_class fc on fc.oid = con.confrelid
            left join pg_namespace fn on fn.oid = fc.relnamespace
            where con.contype in ('p', 'f', 'u') and (n.nspname = any($1) or fn.nspname = any($1))
            order by con.conname
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var cols = reader.GetFieldValue<string[]>(4);
                var owner = (reader.GetString(2), reader.GetString(3));
                if (reader.GetString(0) == "p")
                    primaryKeys[owner] = [.. cols];
                else if (reader.GetString(0) == "u")
                {
                    if (!uniqueKeys.TryGetValue(owner, out var list)) uniqueKeys[owner] = list = [];
                    list.Add(cols);
                }
                else
                    foreignKeys.Add(new ForeignKey(reader.GetString(1), reader.GetString(2), reader.GetString(3), cols,
                        reader.GetString(5), reader.GetString(6), reader.GetFieldValue<string[]>(7)));
            }
        }

        foreignKeys.AddRange(await ViewKeys.DeriveAsync(conn, schemas, columns, foreignKeys.ToList(), ct));
        var relations = columns.Select(kv => new Relation(kv.Key.Item1, kv.Key.Item2, kinds[kv.Key], kv.Value,
            primaryKeys.GetValueOrDefault(kv.Key) ?? []) { UniqueKeys = uniqueKeys.GetValueOrDefault(kv.Key) ?? [], Updatability = updatable[kv.Key] });
        var relationList = relations.ToList();
        var byName = relationList.ToDictionary(r => (r.Schema, r.Name));
        var routines = await RoutineLoader.LoadAsync(conn, schemas, (s, n) => byName.GetValueOrDefault((s, n)), ct);
        var (requestContext, responseSettings) = await SettingsUse.DetectAsync(conn, ct);
        return new SchemaModel(schemas, relationList, foreignKeys, routines)
        {
            RoleSettings = await RoleSettingsLoader.LoadAsync(conn, ct),
            Roles = await ApiRoles.LoadAsync(api, ct),
            Types = await LoadTypesAsync(conn, [.. schemas, .. extraSearchPath], extraSearchPath, ct),
            UsesRequestContext = requestContext,
            UsesResponseSettings = responseSettings,
        };
    }

    /// <summary>The types casts may name: pg_catalog's and those of the schemas on a request's search_path.</summary>
    private static async Task<TypeCatalog> LoadTypesAsync(NpgsqlConnection conn, string[] schemas, IReadOnlyList<string> extraSearchPath, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select n.nspname, t.typname from pg_type t join pg_namespace n on n.oid = t.typnamespace
            where n.nspname = 'pg_catalog' or n.nspname = any($1)
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schemas });
        var types = new List<(string, string)>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) types.Add((reader.GetString(0), reader.GetString(1)));
        return new TypeCatalog(types, extraSearchPath);
    }
}
