using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>--db-tx-end rollback-allow-override: writes roll back unless Prefer: tx=commit, and the
/// response is the one a committed write would give. Runs on its own small Hearth (ids 700000+).</summary>
[ClassDataSource<RollbackHearth>(Shared = SharedType.PerClass)]
public class TransactionEndTests(RollbackHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task Insert_with_tx_rollback_answers_as_committed_but_stores_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_rows", """{"id":700001,"grp":"tx1","n":1}""", Prefer("return=representation"), Prefer("tx=rollback"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":700001,"grp":"tx1","n":1,"note":null}]"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=representation, tx=rollback");
        await Assert.That(await Rows(Http, "w_rows?id=eq.700001")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Headers_only_insert_with_tx_rollback_still_gives_a_Location()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_rows", """{"id":700002,"grp":"tx2"}""", Prefer("return=headers-only"), Prefer("tx=rollback"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.Header("Location")).IsEqualTo("/w_rows?id=eq.700002");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=headers-only, tx=rollback");
        await Assert.That(await Rows(Http, "w_rows?id=eq.700002")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Without_a_tx_preference_the_server_default_rollback_applies()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_rows", """{"id":700003,"grp":"tx3"}""");
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.Header("Preference-Applied")).IsNull();
        await Assert.That(await Rows(Http, "w_rows?id=eq.700003")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Tx_commit_overrides_the_rollback_default()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_rows", """{"id":700004,"grp":"tx4"}""", Prefer("tx=commit"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("tx=commit");
        await Assert.That(await Rows(Http, "w_rows?id=eq.700004&select=id,grp")).IsEqualTo(Expect(200, """[{"id":700004,"grp":"tx4"}]"""));
    }

    [Test]
    public async Task Patch_with_tx_rollback_returns_the_new_values_but_keeps_the_old_ones()
    {
        using var _ = Assert.Multiple();
        await Assert.That((await Post(Http, "w_rows", """{"id":700005,"grp":"tx5","n":1}""", Prefer("tx=commit"))).Code).IsEqualTo(201);
        var r = await Patch(Http, "w_rows?id=eq.700005&select=n", """{"n":99}""", Prefer("return=representation"), Prefer("tx=rollback"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"n":99}]"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("return=representation, tx=rollback");
        await Assert.That(await Rows(Http, "w_rows?id=eq.700005&select=n")).IsEqualTo(Expect(200, """[{"n":1}]"""));
    }

    [Test]
    public async Task Delete_with_tx_rollback_keeps_the_row()
    {
        using var _ = Assert.Multiple();
        await Post(Http, "w_rows", """{"id":700006,"grp":"tx6"}""", Prefer("tx=commit"));
        var r = await Delete(Http, "w_rows?id=eq.700006", Prefer("tx=rollback"), Prefer("count=exact"));
        await Assert.That(r.StatusAndBody).IsEqualTo("204 ");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/1");
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("count=exact, tx=rollback");
        await Assert.That(await Rows(Http, "w_rows?id=eq.700006&select=id")).IsEqualTo(Expect(200, """[{"id":700006}]"""));
    }

    [Test]
    public async Task Put_with_tx_rollback_stores_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Put(Http, "w_kv?k=eq.tx-put", """{"k":"tx-put","v":1}""", Prefer("return=representation"), Prefer("tx=rollback"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"tx-put","v":1,"slug":null}]"""));
        await Assert.That(await Rows(Http, "w_kv?k=eq.tx-put")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Volatile_function_with_tx_rollback_returns_its_result_but_its_write_is_undone()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "rpc/w_log_insert", """{"msg":"tx-rpc"}""", Prefer("tx=rollback"));
        await Assert.That(r.Code).IsEqualTo(200);
        await Assert.That(r.Json().GetInt32()).IsGreaterThan(0);
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("tx=rollback");
        await Assert.That(await Rows(Http, "w_log?msg=eq.tx-rpc")).IsEqualTo(Expect(200, "[]"));

        var committed = await Post(Http, "rpc/w_log_insert", """{"msg":"tx-rpc-commit"}""", Prefer("tx=commit"));
        await Assert.That(committed.Code).IsEqualTo(200);
        await Assert.That(committed.Header("Preference-Applied")).IsEqualTo("tx=commit");
        await Assert.That((await Get(Http, "w_log?msg=eq.tx-rpc-commit")).Json().GetArrayLength()).IsEqualTo(1);
    }
}
