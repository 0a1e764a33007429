using Hearth.Errors;
using System.Text;
using Hearth.Plan;
using Hearth.Request;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.Response;

/// <summary>
/// A write's response, computed from the statement's row before the transaction ends (so max-affected
/// and singular checks can still roll it back) and sent only after the commit.
/// </summary>
public sealed record WriteResult(int Status, Dictionary<string, string> Headers, string? Body, string? ContentType, ResponseGucs Gucs)
{
    public static async Task<WriteResult> ReadAsync(NpgsqlDataReader reader, ApiRequest request, MutatePlan plan, bool wantBody, CancellationToken ct)
    {
        await reader.ReadAsync(ct);
        var affected = reader.GetInt64(0);
        var body = await reader.IsDBNullAsync(1, ct) ? null : reader.GetString(1);
        long? inserted = await reader.IsDBNullAsync(2, ct) ? null : reader.GetInt64(2);
        var key = await reader.IsDBNullAsync(3, ct) ? null : reader.GetFieldValue<string[]>(3);
        // Invalid response settings fail here, inside the transaction, so the write is rolled back.
        var gucs = await ResponseGucs.ReadAsync(reader, 4, ct);

        var prefer = request.Prefer;
        if (prefer.Strict && prefer.MaxAffected is { } max && affected > max)
            throw ApiErrors.MaxAffectedExceeded(affected);
        if (wantBody && request.Accept == MediaType.SingleObject && affected != 1)
            throw ApiErrors.NotSingular(affected);

        var headers = new Dictionary<string, string>();
        // PostgREST: inserts and deletes report */total, updates the range of changed rows; the total
        // only with Prefer: count=exact.
        var total = prefer.Count == CountPreference.Exact ? affected.ToString(System.Globalization.CultureInfo.InvariantCulture) : "*";
        if (plan.Kind is MutationKind.Insert or MutationKind.Delete)
            headers["Content-Range"] = "*/" + total;
        else if (plan.Kind == MutationKind.Update)
            headers["Content-Range"] = (affected > 0 ? $"0-{affected - 1}" : "*") + "/" + total;
        if (plan.Kind == MutationKind.Insert && prefer.Return == ReturnPreference.HeadersOnly && key is not null && affected == 1)
            headers["Location"] = "/" + Uri.EscapeDataString(plan.Relation.Name) + "?" + string.Join("&",
                plan.Relation.PrimaryKey.Zip(key).Select(p => $"{Uri.EscapeDataString(p.First)}=eq.{Uri.EscapeDataString(p.Second)}"));

        var status = plan.Kind switch
        {
            // An upsert that only updated existing rows is a 200, as in PostgREST.
            MutationKind.Insert when plan.IsUpsert && plan.Resolution == ResolutionPreference.MergeDuplicates && inserted == 0 => 200,
            MutationKind.Insert => 201,
            MutationKind.Put when wantBody => inserted > 0 ? 201 : 200,
            _ => wantBody ? 200 : 204,
        };
        return new WriteResult(status, headers, wantBody ? body : null, wantBody ? MediaTypes.ContentType(request.Accept) : null, gucs);
    }

    public async Task SendAsync(HttpContext ctx, IEnumerable<string> applied)
    {
        var response = ctx.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers) response.Headers[name] = value;
        var appliedList = applied.ToList();
        if (appliedList.Count > 0) response.Headers["Preference-Applied"] = string.Join(", ", appliedList);
        if (Body is not null) response.ContentType = ContentType;
        Gucs.ApplyTo(response);
        if (Body is null) return;
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body), ctx.RequestAborted);
    }
}
