using Npgsql;

namespace Hearth.Tests.Infrastructure;

/// <summary>Direct SQL over a data dir's private socket, for arranging state and checking it.</summary>
public static class Db
{
    public static string ConnectionString(string dataDir, string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = Path.Combine(dataDir, "run"), Port = 5432, Username = "postgres", Database = database, Pooling = false,
    }.ConnectionString;

    public static async Task ExecAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
