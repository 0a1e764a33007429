using System.Collections.Concurrent;
using Npgsql;

namespace Hearth.Realtime;

/// <summary>What one role may see of one table: any SELECT at all, which columns, and whether RLS applies to it.</summary>
public sealed record TableGrant(bool CanSelect, IReadOnlySet<string> Columns, bool RowSecurity);

/// <summary>
/// Privileges by (role, table), read from the catalog with the administrative connection and kept a few
/// seconds (a GRANT or policy change is seen within that time without a query per change).
/// </summary>
public sealed class TableAccess(NpgsqlDataSource admin, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<(string Role, uint Relation), (TableGrant Grant, DateTimeOffset Until)> _cache = new();

    public async ValueTask<TableGrant> GetAsync(string role, uint relation, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue((role, relation), out var hit) && hit.Until > now) return hit.Grant;
        await using var conn = await admin.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            select has_any_column_privilege($1::name, c.oid, 'SELECT'),
                   array(select a.attname::text from pg_attribute a
                         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and has_column_privilege($1::name, c.oid, a.attnum, 'SELECT')),
                   c.relrowsecurity and not exists(select 1 from pg_roles r where r.rolname = $1 and (r.rolbypassrls or r.rolsuper))
            from pg_class c where c.oid = $2
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = role });
        cmd.Parameters.Add(new NpgsqlParameter { Value = relation, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var grant = await reader.ReadAsync(ct)
            ? new TableGrant(reader.GetBoolean(0), reader.GetFieldValue<string[]>(1).ToHashSet(StringComparer.Ordinal), reader.GetBoolean(2))
            : new TableGrant(false, new HashSet<string>(), true);
        _cache[(role, relation)] = (grant, now + Lifetime);
        return grant;
    }
}
