using Npgsql;
using NpgsqlTypes;

namespace Hearth.Storage;

/// <summary>A bucket's limits, as uploads need them.</summary>
public sealed record BucketLimits(string Id, bool Public, long? FileSizeLimit, string[]? AllowedMimeTypes);

/// <summary>storage.buckets, hand-written SQL; callers pick the role (RLS applies to buckets too).</summary>
public static class BucketRepository
{
    private const string Columns = """
        'id', b.id, 'name', b.name, 'owner', coalesce(b.owner::text, b.owner_id, ''), 'public', coalesce(b.public, false),
        'type', b.type, 'file_size_limit', b.file_size_limit, 'allowed_mime_types', b.allowed_mime_types,
        'created_at', b.created_at, 'updated_at', b.updated_at
        """;

    public static async Task<BucketLimits?> FindAsync(NpgsqlConnection conn, string id, CancellationToken ct)
    {
        await using var cmd = Command(conn, "select id, coalesce(public, false), file_size_limit, allowed_mime_types from storage.buckets where id = $1", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new BucketLimits(r.GetString(0), r.GetBoolean(1), r.IsDBNull(2) ? null : r.GetInt64(2), r.IsDBNull(3) ? null : r.GetFieldValue<string[]>(3));
    }

    /// <summary>The bucket as JSON, or null when missing (or hidden by RLS).</summary>
    public static async Task<string?> GetJsonAsync(NpgsqlConnection conn, string id, CancellationToken ct)
    {
        await using var cmd = Command(conn, $"select json_build_object({Columns})::text from storage.buckets b where b.id = $1", id);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <param name="sortColumn">One of id, name, created_at, updated_at (checked by the caller).</param>
    public static async Task<string> ListJsonAsync(NpgsqlConnection conn, string sortColumn, bool descending, long? limit, long? offset, string? search, CancellationToken ct)
    {
        var order = $"b.{Sql.SqlText.Ident(sortColumn)} {(descending ? "desc" : "asc")}";
        await using var cmd = Command(conn, $"""
            select coalesce(json_agg(json_build_object({Columns}) order by {order}), '[]')::text from (
              select * from storage.buckets b where $1::text is null or b.name ilike '%' || $1 || '%'
              order by {order} limit $2 offset $3) b
            """, (object?)search ?? DBNull.Value, (object?)limit ?? DBNull.Value, offset ?? 0L);
        cmd.Parameters[0].NpgsqlDbType = NpgsqlDbType.Text;
        cmd.Parameters[1].NpgsqlDbType = NpgsqlDbType.Bigint;
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task CreateAsync(NpgsqlConnection conn, string id, string name, StoragePrincipal owner, bool isPublic, long? fileSizeLimit,
        string[]? allowedMimeTypes, CancellationToken ct)
    {
        await using var cmd = Command(conn, """
            insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
            values ($1, $2, $3, $4, $5, $6, $7)
            """, id, name, (object?)owner.OwnerUuid ?? DBNull.Value, (object?)owner.Subject ?? DBNull.Value, isPublic,
            (object?)fileSizeLimit ?? DBNull.Value, (object?)allowedMimeTypes ?? DBNull.Value);
        cmd.Parameters[2].NpgsqlDbType = NpgsqlDbType.Uuid;
        cmd.Parameters[3].NpgsqlDbType = NpgsqlDbType.Text;
        cmd.Parameters[5].NpgsqlDbType = NpgsqlDbType.Bigint;
        cmd.Parameters[6].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Sets the given fields; false when there is no such bucket (or RLS hides it).</summary>
    public static async Task<bool> UpdateAsync(NpgsqlConnection conn, string id, bool? isPublic, bool setLimit, long? fileSizeLimit,
        bool setMimeTypes, string[]? allowedMimeTypes, CancellationToken ct)
    {
        await using var cmd = Command(conn, """
            update storage.buckets set public = coalesce($2, public),
              file_size_limit = case when $3 then $4 else file_size_limit end,
              allowed_mime_types = case when $5 then $6 else allowed_mime_types end,
              updated_at = now()
            where id = $1
            """, id, (object?)isPublic ?? DBNull.Value, setLimit, (object?)fileSizeLimit ?? DBNull.Value, setMimeTypes, (object?)allowedMimeTypes ?? DBNull.Value);
        cmd.Parameters[1].NpgsqlDbType = NpgsqlDbType.Boolean;
        cmd.Parameters[3].NpgsqlDbType = NpgsqlDbType.Bigint;
        cmd.Parameters[5].NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text;
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    /// <summary>False when there is no such bucket (or RLS hides it); objects still in it fail the foreign key (23503).</summary>
    public static async Task<bool> DeleteAsync(NpgsqlConnection conn, string id, CancellationToken ct)
    {
        await using var cmd = Command(conn, "delete from storage.buckets where id = $1", id);
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    internal static NpgsqlCommand Command(NpgsqlConnection conn, string sql, params object[] values)
    {
        var cmd = new NpgsqlCommand(sql, conn);
        foreach (var v in values) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        return cmd;
    }
}
