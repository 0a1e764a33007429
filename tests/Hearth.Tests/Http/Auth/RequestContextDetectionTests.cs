using Hearth.Tests.Http.Writes;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// Anonymous requests skip the request.* settings only when nothing in the database mentions them; a
/// database that reads them anywhere — here only in a view, or only in a policy — gets them.
/// </summary>
public class RequestContextDetectionTests
{
    private static async Task<WReply> ServeAndGetAsync(string name, string migration, string path, params (string, string)[] headers)
    {
        using var dir = new TempDir(name);
        Directory.CreateDirectory(dir.Combine("migrations"));
        await File.WriteAllTextAsync(Path.Combine(dir.Combine("migrations"), "20250301000000_m.sql"), migration);
        await using var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), dir.Combine("migrations"));
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        return await Get(http, path, headers);
    }

    [Test]
    public async Task A_view_reading_request_settings_sees_them()
    {
        var r = await ServeAndGetAsync("ctx-view", """
            create view public.ctx as select current_setting('request.method', true) as method, current_setting('request.path', true) as path;
            grant select on public.ctx to anon;
            """, "ctx");
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"method":"GET","path":"/ctx"}]"""));
    }

    [Test]
    public async Task A_policy_on_a_request_header_filters_anonymous_reads()
    {
        var r = await ServeAndGetAsync("ctx-policy", """
            create table public.tenant_rows (id int primary key, tenant text not null);
            insert into public.tenant_rows values (1, 'a'), (2, 'b'), (3, 'a');
            alter table public.tenant_rows enable row level security;
            create policy by_header on public.tenant_rows for select to anon
              using (tenant = current_setting('request.headers', true)::json->>'x-tenant');
            grant select on public.tenant_rows to anon;
            """, "tenant_rows?select=id&order=id", ("X-Tenant", "a"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1},{"id":3}]"""));
    }
}
