using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Http.Pool;

/// <summary>A private Hearth serving Fixtures/pool_migrations, with a superuser view of its database.</summary>
public abstract class PoolHearth(string name, params string[] args) : HearthFixture(name, "pool_migrations")
{
    protected override Task<IEnumerable<string>> ArgsAsync() => Task.FromResult<IEnumerable<string>>(args);

    /// <summary>Hearth's API connections (they log in as `authenticator`) matching a pg_stat_activity condition.</summary>
    public Task<long> ApiBackendsAsync(string where = "true") =>
        Db.ScalarAsync<long>(Db.ConnectionString(Dir("data")), $"select count(*) from pg_stat_activity where usename = 'authenticator' and ({where})");

    public Task<int> SettingAsync(string name) =>
        Db.ScalarAsync<int>(Db.ConnectionString(Dir("data")), $"select current_setting('{name}')::int");

    /// <summary>Polls until <paramref name="condition"/> holds; false when it still does not after <paramref name="timeout"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition()) return true;
            if (DateTime.UtcNow > until) return false;
            await Task.Delay(50);
        }
    }
}

/// <summary>--db-pool 3 --db-pool-acquisition-timeout 1: three slow requests take the whole pool.</summary>
public sealed class SmallPoolHearth() : PoolHearth("pool-small", "--db-pool", "3", "--db-pool-acquisition-timeout", "1");

/// <summary>The embedded default: the pool size derived from max_connections.</summary>
public sealed class DefaultPoolHearth() : PoolHearth("pool-default");

/// <summary>--db-pool 2 and the default 10 s acquisition timeout: two stalled responses would take the whole pool.</summary>
public sealed class SlowClientHearth() : PoolHearth("pool-slow-client", "--db-pool", "2");
