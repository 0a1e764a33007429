using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.AuthServer;

/// <summary>
/// One transaction per /auth/v1 operation on the auth server's own pool of owner connections (the auth
/// tables belong to the database owner, as they belong to supabase_auth_admin on Supabase; requests never
/// run as anon here).
/// A client mistake found midway rolls everything back, so nothing is half-written.
/// </summary>
public sealed class AuthDatabase(Data.AuthDataSource auth, ILogger<AuthDatabase> logger)
{
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken ct)
    {
        await using var conn = await auth.Source.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            var result = await work(conn);
            await tx.CommitAsync(ct);
            return result;
        }
        catch (CommitThenFail e)
        {
            // GoTrue keeps what it did (revoking a token family) and still answers with the error.
            await tx.CommitAsync(ct);
            throw e.Error;
        }
        catch (PostgresException e) when (e.SqlState is "42P01" or "42703" or "42704")
        {
            logger.LogError("The auth tables are missing or not in GoTrue's layout ({SqlState}: {Message}); serve a Supabase project (--supabase) or create them.", e.SqlState, e.MessageText);
            throw AuthErrors.Unexpected("Database error: the auth schema is missing or incomplete");
        }
    }

    public Task InTransactionAsync(Func<NpgsqlConnection, Task> work, CancellationToken ct) =>
        InTransactionAsync(async conn => { await work(conn); return true; }, ct);
}

/// <summary>Ends an operation with an error after committing what it did so far.</summary>
public sealed class CommitThenFail(AuthException error) : Exception(error.Message)
{
    public AuthException Error { get; } = error;
}
