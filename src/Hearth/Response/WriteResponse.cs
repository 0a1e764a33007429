using System.Globalization;
using Hearth.Data;
using Hearth.Errors;
using Hearth.Plan;
using Hearth.Request;

namespace Hearth.Response;

/// <summary>
/// A write's response. <see cref="Check"/> runs while the transaction is open (what it refuses is rolled
/// back); <see cref="For"/> decides status, headers and body once it has committed.
/// </summary>
public static class WriteResponse
{
    /// <summary>
    /// Prefer: handling=strict, max-affected=N (PGRST124), and a singular object (Accept:
    /// application/vnd.pgrst.object+json) when the write did not change exactly one row (PGRST116) —
    /// whether or not the representation is returned, as PostgREST.
    /// </summary>
    public static void Check(ApiRequest request, ApiResult result)
    {
        var affected = result.PageTotal;
        if (request.Prefer.EnforcedMaxAffected is { } max && affected > max) throw ApiErrors.MaxAffectedExceeded(affected);
        if (MediaTypes.IsSingular(request.Accept) && affected != 1) throw ApiErrors.NotSingular(affected);
    }

    /// <summary><see cref="Check"/> for a request where it can refuse a result, else null (the common case: the commit can then go with the statement).</summary>
    public static Action<ApiResult>? CheckFor(ApiRequest request) =>
        request.Prefer.EnforcedMaxAffected is not null || MediaTypes.IsSingular(request.Accept) ? r => Check(request, r) : null;

    public static bool WantsBody(ApiRequest request) => request.Prefer.Return == ReturnPreference.Representation;

    public static ApiResponse For(ApiRequest request, MutatePlan plan, ApiResult result, IReadOnlyList<string> applied)
    {
        var affected = result.PageTotal;
        var prefer = request.Prefer;
        var wantBody = WantsBody(request);
        var headers = new ApiResponse.HeaderList();
        // PostgREST: inserts and deletes report */total, updates the range of changed rows; the total
        // only with Prefer: count=exact.
        var total = prefer.Count == CountPreference.Exact ? affected.ToString(CultureInfo.InvariantCulture) : "*";
        if (plan.Kind is MutationKind.Insert or MutationKind.Delete)
            headers.Add("Content-Range", "*/" + total);
        else if (plan.Kind == MutationKind.Update)
            headers.Add("Content-Range", (affected > 0 ? $"0-{affected - 1}" : "*") + "/" + total);
        if (plan.Kind == MutationKind.Insert && prefer.Return == ReturnPreference.HeadersOnly && result.LocationKey is { } key && affected == 1)
            headers.Add("Location", "/" + Uri.EscapeDataString(plan.Relation.Name) + "?" + string.Join("&",
                plan.Relation.PrimaryKey.Zip(key).Select(p => $"{Uri.EscapeDataString(p.First)}=eq.{Uri.EscapeDataString(p.Second)}")));
        headers.PreferenceApplied(applied);
        if (wantBody && result.Body is not null) headers.Add("Content-Type", MediaTypes.ContentType(request.Accept));
        headers.FromSql(result.Gucs);

        var status = plan.Kind switch
        {
            // An upsert that only updated existing rows is a 200, as in PostgREST.
            MutationKind.Insert when plan.IsUpsert && plan.Resolution == ResolutionPreference.MergeDuplicates && result.Inserted == 0 => 200,
            MutationKind.Insert => 201,
            MutationKind.Put when wantBody => result.Inserted > 0 ? 201 : 200,
            _ => wantBody ? 200 : 204,
        };
        return new ApiResponse(result.Gucs.Status ?? status, headers.ToList(), wantBody ? result.Body : null);
    }
}
