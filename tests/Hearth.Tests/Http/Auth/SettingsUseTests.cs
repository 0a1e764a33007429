using Hearth.Tests.Http.Writes;
using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// request.* settings are skipped, and response.* not read, only when nothing in the database mentions
/// them; a database that reads them anywhere (a view, a policy) or sets them (a trigger) gets them.
/// </summary>
public class SettingsUseTests
{
    private static async Task<WReply> ServeAndGetAsync(string name, string migration, string path, params (string, string)[] headers) =>
        await ServeAndSendAsync(name, migration, http => Get(http, path, headers));

    private static async Task<WReply> ServeAndSendAsync(string name, string migration, Func<HttpClient, Task<WReply>> send)
    {
        using var dir = new TempDir(name);
        Directory.CreateDirectory(dir.Combine("migrations"));
        await File.WriteAllTextAsync(Path.Combine(dir.Combine("migrations"), "20250301000000_m.sql"), migration);
        await using var hearth = await HearthProcess.ServeAsync(dir.Combine("data"), dir.Combine("migrations"));
        using var http = new HttpClient { BaseAddress = hearth.BaseUrl };
        return await send(http);
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

    [Test]
    public async Task A_trigger_setting_response_headers_is_seen_by_the_response()
    {
        var r = await ServeAndSendAsync("resp-trigger", """
            create table public.events (id int primary key);
            create function public.tag_event() returns trigger language plpgsql as $$
            begin
              perform set_config('response.headers', '[{"X-Event":"recorded"}]', true);
              return new;
            end $$;
            create trigger tag before insert on public.events for each row execute function public.tag_event();
            grant select, insert on public.events to anon;
            """, http => Post(http, "events", """{"id":1}"""));
        using var _ = Assert.Multiple();
        await Assert.That(r.Code).IsEqualTo(201);
        await Assert.That(r.Header("X-Event")).IsEqualTo("recorded");
    }
}
