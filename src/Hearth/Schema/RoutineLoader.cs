using System.Text.Json;
using Npgsql;

namespace Hearth.Schema;

/// <summary>Reads the functions of the exposed schemas from pg_proc: parameters, return shape, volatility.</summary>
public static class RoutineLoader
{
    public static async Task<List<Routine>> LoadAsync(NpgsqlConnection conn, IReadOnlyList<string> schemas,
        Func<string, string, Relation?> findRelation, CancellationToken ct)
    {
        var routines = new List<Routine>();
        await using var cmd = new NpgsqlCommand("""
            select n.nspname, p.proname, p.provolatile::text, p.proretset, p.pronargdefaults,
                   format_type(p.prorettype, null), rt.typtype::text, rn.nspname, rc.relname,
                   (select coalesce(json_agg(json_build_object('name', coalesce(a.nm, ''), 'type', format_type(a.typ, null),
                                                               'mode', coalesce(a.md::text, 'i')) order by a.ord), '[]')
                    from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes, p.proargnames)
                         with ordinality as a(typ, md, nm, ord))::text,
                   (select coalesce(json_agg(json_build_object('name', att.attname, 'type', format_type(att.atttypid, att.atttypmod))
                                             order by att.attnum), '[]')
                    from pg_attribute att where att.attrelid = rt.typrelid and att.attnum > 0 and not att.attisdropped)::text,
                   an.nspname, ac.relname, p.prorows::float8
            from pg_proc p
            join pg_namespace n on n.oid = p.pronamespace
            join pg_type rt on rt.oid = p.prorettype
            left join pg_class rc on rc.oid = rt.typrelid
            left join pg_namespace rn on rn.oid = rc.relnamespace
            -- A single argument of a relation's row type: a computed field or relationship of that relation.
            left join pg_type at on p.pronargs = 1 and at.oid = p.proargtypes[0]
            left join pg_class ac on ac.oid = at.typrelid and ac.relkind in ('r', 'v', 'm', 'f', 'p')
            left join pg_namespace an on an.oid = ac.relnamespace
            where n.nspname = any($1) and p.prokind = 'f'
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var args = JsonDocument.Parse(reader.GetString(9)).RootElement.EnumerateArray()
                .Select(a => (Name: a.GetProperty("name").GetString()!, Type: a.GetProperty("type").GetString()!, Mode: a.GetProperty("mode").GetString()!))
                .ToList();
            var inputs = args.Where(a => a.Mode is "i" or "b" or "v").ToList();
            var defaults = reader.GetInt16(4);
            var parameters = inputs.Select((a, i) => new RoutineParam(a.Name, a.Type, i >= inputs.Count - defaults, a.Mode == "v")).ToList();
            var outputs = args.Where(a => a.Mode is "o" or "b" or "t").ToList();

            var typtype = reader.GetString(6);
            Relation? table = reader.IsDBNull(7) ? null : findRelation(reader.GetString(7), reader.GetString(8));
            IReadOnlyList<Column>? result = null;
            if (outputs.Count > 0 && typtype == "p")
                result = outputs.Select((o, i) => new Column(o.Name, o.Type, true, false, i + 1)).ToList();
            else if (typtype == "c")
                result = table?.Columns ?? JsonDocument.Parse(reader.GetString(10)).RootElement.EnumerateArray()
                    .Select((c, i) => new Column(c.GetProperty("name").GetString()!, c.GetProperty("type").GetString()!, true, false, i + 1)).ToList();

            routines.Add(new Routine(reader.GetString(0), reader.GetString(1), parameters, reader.GetString(5), reader.GetBoolean(3),
                reader.GetString(2) switch { "i" => Volatility.Immutable, "s" => Volatility.Stable, _ => Volatility.Volatile },
                result, table)
            {
                RowArgument = reader.IsDBNull(12) ? null : findRelation(reader.GetString(11), reader.GetString(12)),
                EstimatedRows = reader.GetDouble(13),
            });
        }
        return routines;
    }
}
