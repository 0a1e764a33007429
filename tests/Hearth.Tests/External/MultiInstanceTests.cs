using Hearth.Tests.Http.AuthServer;
using Hearth.Tests.Infrastructure;
using TUnit.Core.Interfaces;

namespace Hearth.Tests.External;

/// <summary>Three Hearth processes started at the same moment on one fresh database (each through the pooler when there is one).</summary>
public sealed class ThreeInstances : IAsyncInitializer, IAsyncDisposable
{
    [ClassDataSource<ExternalServer>(Shared = SharedType.PerTestSession)]
    public required ExternalServer Server { get; init; }

    public ExternalDatabase Db { get; private set; } = null!;
    public HearthProcess[] Processes { get; private set; } = [];
    public HttpClient[] Http { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Db = await Server.NewDatabaseAsync();
        Processes = Enumerable.Range(0, 3).Select(_ => ExternalHearth.Start(ExternalHearth.ServeArgs(Server, Db))).ToArray();
        await Task.WhenAll(Processes.Select(p => p.WaitReadyAsync()));
        Http = Processes.Select(ExternalHearth.Client).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var h in Http) h.Dispose();
        foreach (var p in Processes) await p.DisposeAsync();
    }
}

/// <summary>Several stateless instances on one database: migrations and the baseline once, the same answers, auth sessions valid everywhere.</summary>
[ClassDataSource<ThreeInstances>(Shared = SharedType.PerClass)]
public class MultiInstanceTests(ThreeInstances three)
{
    [Test]
    public async Task Migrations_and_the_Supabase_baseline_ran_exactly_once()
    {
        using var _ = Assert.Multiple();
        // The migration is not idempotent (create table, insert): a second run would have failed or doubled the rows.
        await Assert.That(await Db.ScalarAsync<long>(three.Db.Superuser, "select count(*) from hearth.schema_migrations")).IsEqualTo(1L);
        await Assert.That(await Db.ScalarAsync<long>(three.Db.Superuser, "select count(*) from public.items")).IsEqualTo(2L);
        // One row per baseline part (its primary key): a second concurrent run would have failed that instance.
        await Assert.That(await Db.ScalarAsync<string>(three.Db.Superuser, "select string_agg(part, ',' order by part) from hearth.baseline")).IsEqualTo("core,storage_files");
        foreach (var p in three.Processes) await Assert.That(p.HasExited).IsFalse();
    }

    [Test]
    public async Task All_three_serve_the_same_rows()
    {
        var bodies = await Task.WhenAll(three.Http.Select(h => h.GetStringAsync("items?order=id")));
        await Assert.That(bodies.Distinct().ToArray()).IsEquivalentTo([ExternalHearth.ItemRows]);
    }

    [Test]
    public async Task A_session_signed_in_on_one_instance_is_refreshed_and_signed_out_on_the_others()
    {
        var (a, b, c) = (three.Http[0], three.Http[1], three.Http[2]);
        var user = await AuthApi.NewUser(a);
        var signIn = await AuthApi.SignIn(a, user.Email);
        var refreshed = await AuthApi.Refresh(b, signIn.Json.GetProperty("refresh_token").GetString()!);
        var access = refreshed.Json.GetProperty("access_token").GetString()!;
        var me = await AuthApi.Send(c, HttpMethod.Get, "user", bearer: access);
        var asUser = await ExternalHearth.SessionStateAsync(c, access);
        var logout = await AuthApi.Send(c, HttpMethod.Post, "logout", bearer: access);
        var afterLogout = await AuthApi.Refresh(a, refreshed.Json.GetProperty("refresh_token").GetString()!);
        using var _ = Assert.Multiple();
        await Assert.That(signIn.Status).IsEqualTo(200);
        await Assert.That(refreshed.Status).IsEqualTo(200);
        await Assert.That(me.Status).IsEqualTo(200);
        await Assert.That(me.Json.GetProperty("id").GetString()).IsEqualTo(user.Id);
        await Assert.That(asUser.GetProperty("sub").GetString()).IsEqualTo(user.Id);
        await Assert.That(asUser.GetProperty("role").GetString()).IsEqualTo("authenticated");
        await Assert.That(logout.Status).IsEqualTo(204);
        await Assert.That(afterLogout.Status).IsEqualTo(400);
        await Assert.That(afterLogout.ErrorCode).IsEqualTo("refresh_token_not_found");
    }
}
