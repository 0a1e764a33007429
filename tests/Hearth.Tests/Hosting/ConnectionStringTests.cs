using Hearth.Data;
using Npgsql;

namespace Hearth.Tests.Hosting;

/// <summary>--database-url accepts what providers hand out: libpq URLs (with socket hosts) and key=value strings.</summary>
public class ConnectionStringTests
{
    [Test]
    public async Task A_full_url_maps_every_part()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionStrings.FromUserInput("postgres://app:p%40ss@db.example.com:6543/main?sslmode=require"));
        await Assert.That(b.Host).IsEqualTo("db.example.com");
        await Assert.That(b.Port).IsEqualTo(6543);
        await Assert.That(b.Username).IsEqualTo("app");
        await Assert.That(b.Password).IsEqualTo("p@ss");
        await Assert.That(b.Database).IsEqualTo("main");
        await Assert.That(b.SslMode).IsEqualTo(SslMode.Require);
    }

    [Test]
    public async Task An_empty_host_with_a_socket_directory_parameter_works()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionStrings.FromUserInput("postgresql://postgres@/postgres?host=%2Fvar%2Frun%2Fpostgresql"));
        await Assert.That(b.Host).IsEqualTo("/var/run/postgresql");
        await Assert.That(b.Username).IsEqualTo("postgres");
        await Assert.That(b.Database).IsEqualTo("postgres");
    }

    [Test]
    public async Task A_key_value_connection_string_passes_through()
    {
        var b = new NpgsqlConnectionStringBuilder(ConnectionStrings.FromUserInput("Host=h;Port=5433;Username=u;Database=d"));
        await Assert.That(b.Host).IsEqualTo("h");
        await Assert.That(b.Port).IsEqualTo(5433);
    }
}
