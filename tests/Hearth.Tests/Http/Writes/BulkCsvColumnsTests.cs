using System.Text;
using static Hearth.Tests.Http.Writes.W;

namespace Hearth.Tests.Http.Writes;

/// <summary>Bulk JSON arrays, CSV bodies, ?columns= and Prefer: missing=default.
/// w_bulk ids 300000..309999 (own batch per test), w_csv ids 400001..400099, w_defaults by grp.</summary>
[ClassDataSource<WriteHearth>(Shared = SharedType.PerTestSession)]
public class BulkCsvColumnsTests(WriteHearth hearth)
{
    private HttpClient Http => hearth.Http;

    private static string BulkJson(int firstId, int count, string batch, Func<int, int>? val = null)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append($$"""{"id":{{firstId + i}},"batch":"{{batch}}","val":{{(val ?? (k => k))(i)}}}""");
        }
        return sb.Append(']').ToString();
    }

    private async Task<int> CountBatch(string batch)
    {
        var r = await Get(Http, $"w_bulk?batch=eq.{batch}&select=id");
        await Assert.That(r.Code).IsEqualTo(200);
        return r.Json().GetArrayLength();
    }

    [Test]
    public async Task Two_thousand_rows_in_one_request_are_all_inserted()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_bulk", BulkJson(300000, 2000, "bulk2000"), Prefer("count=exact"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/2000");
        await Assert.That(r.Header("Location")).IsNull();
        await Assert.That(await CountBatch("bulk2000")).IsEqualTo(2000);
        // first, last and one in the middle carry their own values
        await Assert.That(await Rows(Http, "w_bulk?id=in.(300000,301000,301999)&order=id&select=id,val"))
            .IsEqualTo(Expect(200, """[{"id":300000,"val":0},{"id":301000,"val":1000},{"id":301999,"val":1999}]"""));
    }

    [Test]
    public async Task Bulk_representation_returns_every_row_in_payload_order()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_bulk?select=id,val", BulkJson(302000, 3, "bulkrep", k => 10 * k), Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":302000,"val":0},{"id":302001,"val":10},{"id":302002,"val":20}]"""));
    }

    [Test]
    public async Task Bulk_whose_last_row_violates_a_check_inserts_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_bulk", BulkJson(303000, 500, "bulkcheck", k => k == 499 ? -1 : k));
        await Assert.That(r.Code).IsEqualTo(400);
        await Assert.That(r.Json().GetProperty("code").GetString()).IsEqualTo("23514");
        await Assert.That(r.Json().GetProperty("message").GetString()).IsEqualTo("new row for relation \"w_bulk\" violates check constraint \"w_bulk_val_check\"");
        await Assert.That(await CountBatch("bulkcheck")).IsEqualTo(0);
    }

    [Test]
    public async Task Bulk_whose_last_row_repeats_a_key_inserts_nothing()
    {
        using var _ = Assert.Multiple();
        var json = BulkJson(304000, 100, "bulkdup");
        json = json[..^1] + """,{"id":304000,"batch":"bulkdup","val":1}]""";
        var r = await Post(Http, "w_bulk", json);
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(409, "23505", "duplicate key value violates unique constraint \"w_bulk_pkey\"",
            "Key (id)=(304000) already exists."));
        await Assert.That(await CountBatch("bulkdup")).IsEqualTo(0);
    }

    [Test]
    public async Task Bulk_whose_last_row_has_a_wrong_type_inserts_nothing()
    {
        using var _ = Assert.Multiple();
        var json = BulkJson(305000, 10, "bulktype")[..^1] + """,{"id":305010,"batch":"bulktype","val":"ten"}]""";
        var r = await Post(Http, "w_bulk", json);
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "22P02", "invalid input syntax for type integer: \"ten\""));
        await Assert.That(await CountBatch("bulktype")).IsEqualTo(0);
    }

    // CSV ------------------------------------------------------------------------------------------

    [Test]
    public async Task Csv_body_inserts_rows()
    {
        using var _ = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Post, "w_csv", "id,name,qty\n400001,alpha,1\n400002,beta,2", "text/csv");
        await Assert.That(r.StatusAndBody).IsEqualTo("201 ");
        await Assert.That(await Rows(Http, "w_csv?id=in.(400001,400002)&order=id"))
            .IsEqualTo(Expect(200, """[{"id":400001,"name":"alpha","qty":1},{"id":400002,"name":"beta","qty":2}]"""));
    }

    [Test]
    public async Task Csv_NULL_is_null_and_quoted_fields_keep_commas()
    {
        using var _ = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Post, "w_csv", "id,name,qty\n400003,NULL,3\n400004,\"with, comma\",4\n", "text/csv",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201,
            """[{"id":400003,"name":null,"qty":3},{"id":400004,"name":"with, comma","qty":4}]"""));
    }

    [Test]
    public async Task Csv_in_and_csv_out_with_select()
    {
        using var _ = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Post, "w_csv?select=id", "id,name,qty\n400005,e,5\n400006,f,6", "text/csv",
            ("Accept", "text/csv"), Prefer("return=representation"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 id\n400005\n400006");
        await Assert.That(r.ContentType).IsEqualTo("text/csv; charset=utf-8");
        await Assert.That(r.Header("Content-Range")).IsEqualTo("*/*");
    }

    [Test]
    public async Task Csv_full_representation_round_trips()
    {
        using var _ = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Post, "w_csv", "id,name,qty\n400007,g,7", "text/csv",
            ("Accept", "text/csv"), Prefer("return=representation"));
        await Assert.That(r.StatusAndBody).IsEqualTo("201 id,name,qty\n400007,g,7");
    }

    [Test]
    public async Task Csv_with_a_short_line_is_PGRST102_and_inserts_nothing()
    {
        using var _ = Assert.Multiple();
        var r = await Send(Http, HttpMethod.Post, "w_csv", "id,name,qty\n400008,h,8\n400009", "text/csv");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST102", "All lines must have same number of fields"));
        await Assert.That(await Rows(Http, "w_csv?id=in.(400008,400009)")).IsEqualTo(Expect(200, "[]"));
    }

    // ?columns= ------------------------------------------------------------------------------------

    [Test]
    public async Task Columns_ignores_other_keys_of_the_body()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?columns=id,name,tag",
            """{"id":100060,"name":"cols","tag":"cols-a","qty":99,"bogus":"ignored","other":{"x":1}}""", Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201, """[{"id":100060,"name":"cols","qty":0,"tag":"cols-a","color":"red"}]"""));
    }

    [Test]
    public async Task Columns_with_an_unknown_column_is_PGRST204()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_items?columns=id,helicopter", """[{"id":100061,"helicopter":1}]""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "PGRST204", "Could not find the 'helicopter' column of 'w_items' in the schema cache"));
        await Assert.That(await Rows(Http, "w_items?id=eq.100061")).IsEqualTo(Expect(200, "[]"));
    }

    [Test]
    public async Task Columns_lets_objects_of_a_bulk_omit_keys_which_become_null()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_defaults?columns=label,n,grp&select=label,n,grp",
            """[{"grp":"cols-null","label":"x"},{"grp":"cols-null","n":3},{"grp":"cols-null","label":"z","n":1,"extra":true}]""",
            Prefer("return=representation"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201,
            """[{"label":"x","n":null,"grp":"cols-null"},{"label":null,"n":3,"grp":"cols-null"},{"label":"z","n":1,"grp":"cols-null"}]"""));
    }

    // Prefer: missing=default ---------------------------------------------------------------------

    [Test]
    public async Task Missing_default_fills_omitted_keys_with_column_defaults()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_defaults?columns=label,n,grp&select=label,n,grp",
            """[{"grp":"md-a","label":"x"},{"grp":"md-a","n":3},{"grp":"md-a","label":null}]""",
            Prefer("return=representation"), Prefer("missing=default"));
        await Assert.That(r.StatusAndJson).IsEqualTo(Expect(201,
            """[{"label":"x","n":7,"grp":"md-a"},{"label":"unnamed","n":3,"grp":"md-a"},{"label":null,"n":7,"grp":"md-a"}]"""));
        await Assert.That(r.Header("Preference-Applied")).IsEqualTo("missing=default, return=representation");
        await Assert.That(await Rows(Http, "w_defaults?grp=eq.md-a&select=label,n&order=id"))
            .IsEqualTo(Expect(200, """[{"label":"x","n":7},{"label":"unnamed","n":3},{"label":null,"n":7}]"""));
    }

    [Test]
    public async Task Missing_default_applies_to_an_identity_column()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_defaults?columns=id,label,grp&select=id,label",
            """[{"label":"md-id","grp":"md-id"},{"label":"md-id2","grp":"md-id"}]""", Prefer("return=representation"), Prefer("missing=default"));
        await Assert.That(r.Code).IsEqualTo(201);
        var rows = r.Json();
        await Assert.That(rows.GetArrayLength()).IsEqualTo(2);
        await Assert.That(rows[0].GetProperty("id").GetInt32()).IsGreaterThan(0);
        await Assert.That(rows[1].GetProperty("id").GetInt32()).IsGreaterThan(rows[0].GetProperty("id").GetInt32());
        await Assert.That(rows[0].GetProperty("label").GetString()).IsEqualTo("md-id");
        var back = await Get(Http, "w_defaults?grp=eq.md-id&select=n&id=not.is.null");
        await Assert.That(back.StatusAndJson).IsEqualTo(Expect(200, """[{"n":7},{"n":7}]"""));
    }

    [Test]
    public async Task Without_missing_default_an_omitted_identity_column_is_null_and_fails()
    {
        using var _ = Assert.Multiple();
        var r = await Post(Http, "w_defaults?columns=id,label,grp", """[{"label":"md-null","grp":"md-null"}]""");
        await Assert.That(r.StatusAndJson).IsEqualTo(Error(400, "23502",
            "null value in column \"id\" of relation \"w_defaults\" violates not-null constraint",
            "Failing row contains (null, md-null, 7, md-null)."));
        await Assert.That(await Rows(Http, "w_defaults?grp=eq.md-null")).IsEqualTo(Expect(200, "[]"));
    }
}
