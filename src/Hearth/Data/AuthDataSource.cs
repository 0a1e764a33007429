using Npgsql;

namespace Hearth.Data;

/// <summary>
/// The auth server's connections (/auth/v1): the database owner's, as the auth tables belong to
/// supabase_auth_admin on Supabase, in a small pool of their own so that a burst of sign-ins neither
/// waits behind nor delays the administrative pool (/ready, schema reloads). Counted in
/// <see cref="PoolSizing"/>.
/// </summary>
public sealed class AuthDataSource(NpgsqlDataSource source) : IAsyncDisposable
{
    public NpgsqlDataSource Source { get; } = source;

    public static AuthDataSource Create(string ownerConnectionString) => new(NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(ownerConnectionString) { MaxPoolSize = PoolSizing.AuthPoolSize }.ConnectionString));

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
