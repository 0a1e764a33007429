using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.External;

/// <summary>A schema change announced with NOTIFY pgrst, 'reload schema' reaches every instance on the database.</summary>
[ClassDataSource<ThreeInstances>(Shared = SharedType.PerClass)]
public class SchemaReloadAcrossInstancesTests(ThreeInstances three)
{
    [Test]
    public async Task A_table_announced_with_notify_pgrst_is_served_by_all_three_instances()
    {
        var table = "fresh_" + Guid.NewGuid().ToString("N")[..8];
        // Before: unknown to every instance's schema cache (404 PGRST205).
        foreach (var http in three.Http) await Assert.That((int)(await http.GetAsync(table)).StatusCode).IsEqualTo(404);

        await Db.ExecAsync(three.Db.Superuser, $"""
            create table public.{table} (id int primary key); insert into public.{table} values (7);
            grant select on public.{table} to anon;
            notify pgrst, 'reload schema';
            """);

        var bodies = new List<string>();
        foreach (var http in three.Http)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            var body = "";
            while (DateTime.UtcNow < deadline)
            {
                using var res = await http.GetAsync(table);
                body = await res.Content.ReadAsStringAsync();
                if (res.IsSuccessStatusCode) break;
                await Task.Delay(100);
            }
            bodies.Add(body);
        }
        await Assert.That(bodies).IsEquivalentTo(["""[{"id":7}]""", """[{"id":7}]""", """[{"id":7}]"""]);
    }
}
