using Npgsql;

namespace Hearth.Data;

/// <summary>Every pool Hearth holds, for the moments all of them must drop their connections (outage, stop).</summary>
public sealed class DatabasePools(NpgsqlDataSource admin, ApiDataSource api, AuthDataSource auth)
{
    public void ClearAll()
    {
        admin.Clear();
        api.Source.Clear();
        auth.Source.Clear();
    }
}
