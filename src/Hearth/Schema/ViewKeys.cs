using Npgsql;

namespace Hearth.Schema;

/// <summary>
/// Foreign keys seen through views, so embedding works on views as on tables. A view column counts as a
/// base-table column when the view's rewrite rule depends on that column and the names match (the common
/// case: <c>select *</c> or a column list without renames). Every key whose columns a view exposes is
/// repeated with the view in place of the table, on either side.
/// </summary>
public static class ViewKeys
{
    public static async Task<List<ForeignKey>> DeriveAsync(NpgsqlConnection conn, IReadOnlyList<string> schemas,
        IReadOnlyDictionary<(string, string), List<Column>> relations, IReadOnlyList<ForeignKey> keys, CancellationToken ct)
    {
        // (view) -> (base table) -> columns the view takes from it
        var sources = new Dictionary<(string, string), Dictionary<(string, string), HashSet<string>>>();
        await using (var cmd = new NpgsqlCommand("""
            select distinct vn.nspname, v.relname, tn.nspname, t.relname, a.attname
            from pg_class v
            join pg_namespace vn on vn.oid = v.relnamespace
            join pg_rewrite r on r.ev_class = v.oid
            join pg_depend d on d.objid = r.oid and d.classid = 'pg_rewrite'::regclass
                            and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
            join pg_class t on t.oid = d.refobjid and t.oid <> v.oid
            join pg_namespace tn on tn.oid = t.relnamespace
            join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
            where v.relkind in ('v', 'm') and vn.nspname = any($1)
            """, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schemas.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var view = (reader.GetString(0), reader.GetString(1));
                var table = (reader.GetString(2), reader.GetString(3));
                if (!sources.TryGetValue(view, out var tables)) sources[view] = tables = [];
                if (!tables.TryGetValue(table, out var cols)) tables[table] = cols = new HashSet<string>(StringComparer.Ordinal);
                cols.Add(reader.GetString(4));
            }
        }

        // Everything that can stand for a table in a key: the table itself and the views exposing those columns.
        IEnumerable<(string Schema, string Name)> StandIns(string schema, string table, IReadOnlyList<string> columns)
        {
            yield return (schema, table);
            foreach (var (view, tables) in sources)
                if (tables.TryGetValue((schema, table), out var cols) && columns.All(cols.Contains) &&
                    relations.TryGetValue(view, out var viewColumns) && columns.All(c => viewColumns.Any(vc => vc.Name == c)))
                    yield return view;
        }

        var derived = new List<ForeignKey>();
        foreach (var fk in keys)
            foreach (var from in StandIns(fk.Schema, fk.Table, fk.Columns))
                foreach (var to in StandIns(fk.ForeignSchema, fk.ForeignTable, fk.ForeignColumns))
                    if ((from, to) != ((fk.Schema, fk.Table), (fk.ForeignSchema, fk.ForeignTable)))
                        derived.Add(fk with { Schema = from.Schema, Table = from.Name, ForeignSchema = to.Schema, ForeignTable = to.Name });
        return derived;
    }
}
