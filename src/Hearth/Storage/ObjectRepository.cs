using Npgsql;
using NpgsqlTypes;
using static Hearth.Storage.BucketRepository;

namespace Hearth.Storage;

/// <summary>A stored object's row, as downloads and info need it.</summary>
public sealed record ObjectRow(Guid Id, string BucketId, string Name, string? Version, string MetadataJson, string? UserMetadataJson,
    DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>What an upload writes into a row.</summary>
public sealed record NewObject(Guid Id, string BucketId, string Name, StoragePrincipal Owner, string MetadataJson, string? UserMetadataJson, string Version);

/// <summary>storage.objects, hand-written SQL; callers pick the role, so RLS decides every read and write.</summary>
public static class ObjectRepository
{
    public static async Task<ObjectRow?> FindAsync(NpgsqlConnection conn, string bucket, string name, CancellationToken ct)
    {
        await using var cmd = Command(conn, """
            select id, bucket_id, name, version, coalesce(metadata, '{}')::text, user_metadata::text,
                   coalesce(created_at, now()) at time zone 'utc', coalesce(updated_at, created_at, now()) at time zone 'utc'
            from storage.objects where bucket_id = $1 and name = $2
            """, bucket, name);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new ObjectRow(r.GetGuid(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5), DateTime.SpecifyKind(r.GetDateTime(6), DateTimeKind.Utc), DateTime.SpecifyKind(r.GetDateTime(7), DateTimeKind.Utc));
    }

    /// <summary>
    /// Inserts the row, or with <paramref name="upsert"/> replaces an existing one's content (the old version
    /// is queued for deletion by the baseline's trigger). Returns the row's id. A plain insert needs only an
    /// INSERT policy (no RETURNING); an upsert, as on Supabase, also needs SELECT and UPDATE.
    /// </summary>
    public static async Task<Guid> WriteAsync(NpgsqlConnection conn, NewObject o, bool upsert, CancellationToken ct)
    {
        var sql = """
            insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """;
        if (upsert)
            sql += """

                on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata,
                  user_metadata = excluded.user_metadata, version = excluded.version, updated_at = now(), last_accessed_at = now()
                returning id
                """;
        await using var cmd = Command(conn, sql, o.Id, o.BucketId, o.Name, (object?)o.Owner.OwnerUuid ?? DBNull.Value, (object?)o.Owner.Subject ?? DBNull.Value,
            o.MetadataJson, (object?)o.UserMetadataJson ?? DBNull.Value, o.Version);
        cmd.Parameters[3].NpgsqlDbType = NpgsqlDbType.Uuid;
        cmd.Parameters[4].NpgsqlDbType = NpgsqlDbType.Text;
        cmd.Parameters[5].NpgsqlDbType = NpgsqlDbType.Jsonb;
        cmd.Parameters[6].NpgsqlDbType = NpgsqlDbType.Jsonb;
        if (!upsert)
        {
            await cmd.ExecuteNonQueryAsync(ct);
            return o.Id;
        }
        return (Guid)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Deletes the named objects the role may delete (and see); returns them as a JSON array.</summary>
    public static async Task<string> DeleteManyAsync(NpgsqlConnection conn, string bucket, string[] names, CancellationToken ct)
    {
        await using var cmd = Command(conn, """
            with deleted as (delete from storage.objects where bucket_id = $1 and name = any($2) returning *)
            select coalesce(json_agg(json_build_object('bucket_id', bucket_id, 'name', name, 'owner', owner, 'owner_id', owner_id, 'id', id,
              'updated_at', updated_at, 'created_at', created_at, 'last_accessed_at', last_accessed_at, 'metadata', metadata,
              'user_metadata', user_metadata, 'version', version)), '[]')::text from deleted
            """, bucket, names);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Renames (and may move to another bucket) in place: the version and its file stay. False when the role sees no such row.</summary>
    public static async Task<bool> MoveAsync(NpgsqlConnection conn, string bucket, string name, string toBucket, string toName, StoragePrincipal owner, CancellationToken ct)
    {
        await using var cmd = Command(conn, """
            update storage.objects set bucket_id = $3, name = $4, owner = $5, owner_id = $6, updated_at = now()
            where bucket_id = $1 and name = $2
            """, bucket, name, toBucket, toName, (object?)owner.OwnerUuid ?? DBNull.Value, (object?)owner.Subject ?? DBNull.Value);
        cmd.Parameters[4].NpgsqlDbType = NpgsqlDbType.Uuid;
        cmd.Parameters[5].NpgsqlDbType = NpgsqlDbType.Text;
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>Which of <paramref name="names"/> the role can see.</summary>
    public static async Task<HashSet<string>> VisibleAsync(NpgsqlConnection conn, string bucket, string[] names, CancellationToken ct)
    {
        await using var cmd = Command(conn, "select name from storage.objects where bucket_id = $1 and name = any($2)", bucket, names);
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) found.Add(r.GetString(0));
        return found;
    }

    /// <summary>
    /// storage-js list(): the entries one level below <paramref name="prefix"/> whose names start with
    /// prefix + search (case-insensitive) — folders (id null) and files — as Supabase's storage.search gives them.
    /// </summary>
    /// <param name="sortColumn">name, created_at, updated_at or last_accessed_at (checked by the caller).</param>
    public static async Task<string> ListJsonAsync(NpgsqlConnection conn, string bucket, string prefix, string search, long limit, long offset,
        string sortColumn, bool descending, CancellationToken ct)
    {
        var dir = descending ? "desc" : "asc";
        var order = sortColumn == "name" ? $"name collate \"C\" {dir}" : $"(id is not null), {Sql.SqlText.Ident(sortColumn)} {dir}, name collate \"C\"";
        await using var cmd = Command(conn, $$"""
            with matched as (
              select o.id, o.updated_at, o.created_at, o.last_accessed_at, o.metadata,
                     array_to_string(o.path_tokens[$3:$4], '/') as entry, coalesce(array_length(o.path_tokens, 1), 0) > $4 as is_folder
              from storage.objects o
              where o.bucket_id = $1 and o.name ilike $2 escape '\'
            ), entries as (
              select entry as name, null::uuid as id, null::timestamptz as updated_at, null::timestamptz as created_at,
                     null::timestamptz as last_accessed_at, null::jsonb as metadata
              from matched where is_folder group by entry
              union all
              select entry, id, updated_at, created_at, last_accessed_at, metadata from matched where not is_folder
            ), page as (select * from entries order by {{order}} limit $5 offset $6)
            select coalesce(json_agg(json_build_object('name', name, 'id', id, 'updated_at', updated_at, 'created_at', created_at,
              'last_accessed_at', last_accessed_at, 'metadata', metadata) order by {{order}}), '[]')::text from page
            """, bucket, EscapeLike(prefix + search) + "%", Levels(prefix), Levels(prefix + search), limit, offset);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Path depth as storage.search counts it: 'a/b/' is 3 tokens, '' is 1.</summary>
    private static int Levels(string path) => path.Length == 0 ? 1 : path.Split('/').Length;

    private static string EscapeLike(string s) => s.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
