using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>Computed fields (v_doubled(w_kv)) in the representation and filters of writes; keys 'cw-%' of w_kv.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class ComputedWriteTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    [Test]
    public async Task An_insert_and_an_upsert_return_computed_fields()
    {
        var insert = await Post(Http, "w_kv?select=k,v_doubled", """{"k":"cw-1","v":4}""", Prefer("return=representation"));
        await Assert.That(insert.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"cw-1","v_doubled":8}]"""));
        // An upsert's written rows carry bookkeeping columns: the computed field still gets the table's row.
        var upsert = await Post(Http, "w_kv?select=k,v_doubled", """[{"k":"cw-1","v":5},{"k":"cw-2","v":1}]""",
            Prefer("return=representation"), Prefer("resolution=merge-duplicates"));
        await Assert.That(upsert.StatusAndJson).IsEqualTo(Expect(201, """[{"k":"cw-1","v_doubled":10},{"k":"cw-2","v_doubled":2}]"""));
    }

    [Test]
    public async Task An_update_filters_by_a_computed_field()
    {
        await Assert.That((await Post(Http, "w_kv", """[{"k":"cw-3","v":3},{"k":"cw-4","v":4}]""")).StatusAndBody).IsEqualTo("201 ");
        var r = await Patch(Http, "w_kv?k=in.(cw-3,cw-4)&v_doubled=eq.8&select=k,v,v_doubled", """{"v":7}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(200, """[{"k":"cw-4","v":7,"v_doubled":14}]"""));
    }
}
