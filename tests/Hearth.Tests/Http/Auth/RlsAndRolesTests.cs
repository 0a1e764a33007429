using Hearth.Tests.Infrastructure;
using static Hearth.Tests.Http.Auth.Bearer;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Auth;

/// <summary>
/// Row-level security on request.jwt.claims end to end: two users, each with a JWT, see and change only
/// their own rows of todos. And role switching: a role's grants decide, 401 for anonymous, 403 for users.
/// </summary>
[ClassDataSource<AuthHearth>(Shared = SharedType.PerTestSession)]
[NotInParallel("todos")]
public class RlsAndRolesTests(AuthHearth hearth)
{
    private HttpClient Http => hearth.Http;
    private static readonly (string, string) Alice = Header(Jwt.For("authenticated", "alice"));
    private static readonly (string, string) Bob = Header(Jwt.For("authenticated", "bob"));

    [Test]
    public async Task Each_user_sees_only_their_own_rows()
    {
        using var _ = Assert.Multiple();
        var alice = await Get(Http, "todos?select=owner,title&order=id&title=in.(alice 1,alice 2,bob 1)", Alice);
        await Assert.That(alice.StatusAndJson).IsEqualTo(Expect(200, """[{"owner":"alice","title":"alice 1"},{"owner":"alice","title":"alice 2"}]"""));
        var bob = await Get(Http, "todos?select=owner,title&order=id&title=in.(alice 1,alice 2,bob 1)", Bob);
        await Assert.That(bob.StatusAndJson).IsEqualTo(Expect(200, """[{"owner":"bob","title":"bob 1"}]"""));
    }

    [Test]
    public async Task The_service_role_bypasses_row_level_security()
    {
        var r = await Get(Http, "todos?select=owner&order=id&title=in.(alice 1,bob 1)", Header(Jwt.For("service_role")));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"owner":"alice"},{"owner":"bob"}]"""));
    }

    [Test]
    public async Task Anonymous_requests_cannot_read_the_table_at_all()
    {
        var r = await Get(Http, "todos");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(401, "42501", "permission denied for table todos"));
    }

    [Test]
    public async Task An_insert_takes_the_owner_from_the_token_and_cannot_claim_another_users_row()
    {
        using var _ = Assert.Multiple();
        var mine = await Post(Http, "todos?select=owner,title", """{"title":"alice new"}""", Alice, Prefer("return=representation"));
        await Assert.That(mine.StatusAndJson).IsEqualTo(Expect(201, """[{"owner":"alice","title":"alice new"}]"""));
        var forged = await Post(Http, "todos", """{"title":"planted","owner":"bob"}""", Alice);
        await Assert.That(forged.Code).IsEqualTo(403);
        await Assert.That(forged.Json().GetProperty("code").GetString()).IsEqualTo("42501");
        var bobSees = await Get(Http, "todos?select=title&title=eq.planted", Bob);
        await Assert.That(bobSees.StatusAndJson).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Updates_and_deletes_reach_only_the_users_own_rows()
    {
        using var _ = Assert.Multiple();
        var bobRow = await Post(Http, "todos?select=id", """{"title":"bob keeps this"}""", Bob, Prefer("return=representation"));
        var bobId = bobRow.Json()[0].GetProperty("id").GetInt32();
        // Alice patches "every" row and deletes Bob's by id: neither touches Bob's row.
        var patch = await Patch(Http, "todos?title=eq.bob keeps this", """{"title":"hijacked"}""", Alice, Prefer("count=exact"));
        await Assert.That(patch.Header("Content-Range")).IsEqualTo("*/0");
        var delete = await Delete(Http, $"todos?id=eq.{bobId}", Alice, Prefer("count=exact"));
        await Assert.That(delete.Header("Content-Range")).IsEqualTo("*/0");
        var still = await Get(Http, $"todos?select=title&id=eq.{bobId}", Bob);
        await Assert.That(still.StatusAndJson).IsEqualTo(Expect(200, """[{"title":"bob keeps this"}]"""));
        // Bob can change his own.
        var own = await Patch(Http, $"todos?id=eq.{bobId}&select=title", """{"title":"bob changed this"}""", Bob, Prefer("return=representation"));
        await Assert.That(own.StatusAndJson).IsEqualTo(Expect(200, """[{"title":"bob changed this"}]"""));
    }

    [Test]
    public async Task A_role_with_the_grant_can_write_and_one_without_gets_403()
    {
        using var _ = Assert.Multiple();
        var editor = await Post(Http, "drafts", """{"id":1,"body":"by an editor"}""", Header(Jwt.For("editor", "ed")));
        await Assert.That(editor.Code).IsEqualTo(201);
        var user = await Post(Http, "drafts", """{"id":2,"body":"by a user"}""", Alice);
        await Assert.That(user.StatusAndJson).IsEqualTo(Error(403, "42501", "permission denied for table drafts"));
        await Assert.That(user.Header("WWW-Authenticate")).IsNull();
        var anonymous = await Post(Http, "drafts", """{"id":3,"body":"by nobody"}""");
        await Assert.That(anonymous.Code).IsEqualTo(401);
        var rows = await Get(Http, "drafts?select=id", Alice);
        await Assert.That(rows.StatusAndJson).IsEqualTo(Expect(200, """[{"id":1}]"""));
    }

    [Test]
    public async Task A_roles_own_statement_timeout_applies_to_its_requests()
    {
        using var _ = Assert.Multiple();
        var hasty = await Get(Http, "rpc/slow", Header(Jwt.For("hasty")));
        await Assert.That(hasty.StatusAndJson).IsEqualTo(Error(500, "57014", "canceling statement due to statement timeout"));
        var patient = await Get(Http, "rpc/slow", Alice);
        await Assert.That(patient.StatusAndBody).IsEqualTo("200 1");
    }

    [Test]
    public async Task A_roles_synchronous_commit_off_applies_to_its_writes_only()
    {
        using var _ = Assert.Multiple();
        var relaxed = await Post(Http, "events?select=body,commit_mode", """{"body":"click"}""", Prefer("return=representation"), Header(Jwt.For("relaxed_writer")));
        await Assert.That(relaxed.StatusAndJson).IsEqualTo(Expect(201, """[{"body":"click","commit_mode":"off"}]"""));
        // Other roles keep the server's own setting: on for the embedded cluster (the external job's test server runs with off).
        var serverDefault = await Db.ScalarAsync<string>(hearth.SuperuserConnectionString, "show synchronous_commit");
        if (!HearthFixture.ExternalMode) await Assert.That(serverDefault).IsEqualTo("on");
        var durable = await Post(Http, "events?select=body,commit_mode", """{"body":"order"}""", Prefer("return=representation"), Alice);
        await Assert.That(durable.StatusAndJson).IsEqualTo(Expect(201, $$"""[{"body":"order","commit_mode":"{{serverDefault}}"}]"""));
    }

    [Test]
    public async Task An_insert_only_grant_allows_return_minimal_but_not_reading_back()
    {
        using var _ = Assert.Multiple();
        var minimal = await Post(Http, "feedback", """{"body":"nice"}""");
        await Assert.That(minimal.StatusAndBody).IsEqualTo("201 ");
        var representation = await Post(Http, "feedback", """{"body":"again"}""", Prefer("return=representation"));
        await Assert.That(representation.StatusAndJson).IsEqualTo(Error(401, "42501", "permission denied for table feedback"));
        var read = await Get(Http, "feedback");
        await Assert.That(read.Code).IsEqualTo(401);
    }
}
