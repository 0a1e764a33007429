using Hearth.Data;

namespace Hearth.Tests.Http.Pool;

/// <summary>The arithmetic of the embedded pool size (no database).</summary>
public class PoolSizingTests
{
    [Test]
    [Arguments(100, 3, 0, 80)] // PostgreSQL's defaults: 100 − 3 reserved − 3 admin − 4 auth server − 10 headroom
    [Arguments(100, 3, 5, 75)] // reserved_connections (PostgreSQL 16+) counts too
    [Arguments(500, 3, 0, 480)]
    [Arguments(12, 3, 0, 1)] // a tiny server still gets one connection
    public async Task The_embedded_default_leaves_reserved_admin_and_headroom_slots(int max, int superuserReserved, int reserved, int expected)
    {
        await Assert.That(PoolSizing.EmbeddedDefault(new ServerLimits(max, superuserReserved, reserved))).IsEqualTo(expected);
    }
}
