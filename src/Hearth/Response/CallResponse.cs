using Hearth.Data;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>Function calls: the checks made while the transaction is open, and the response of a void function.</summary>
public static class CallResponse
{
    /// <summary>Prefer: handling=strict, max-affected=N: a set-returning function may return (affect) at most N rows (PGRST124, rolled back).</summary>
    public static void Check(Request.ApiRequest request, ApiResult result)
    {
        if (request.Prefer.EnforcedMaxAffected is { } max && result.PageTotal > max)
            throw Errors.ApiErrors.MaxAffectedExceeded(result.PageTotal);
    }

    /// <summary><see cref="Check"/> for a request where it can refuse a result, else null.</summary>
    public static Action<ApiResult>? CheckFor(Request.ApiRequest request) =>
        request.Prefer.EnforcedMaxAffected is not null ? r => Check(request, r) : null;

    /// <summary>A function returning void: 204, with what SQL set in response.headers/status.</summary>
    public static ApiResponse Void(ApiResult result, IReadOnlyList<string> applied) =>
        new(result.Gucs.Status ?? StatusCodes.Status204NoContent, new ApiResponse.HeaderList().PreferenceApplied(applied).FromSql(result.Gucs).ToList(), null);
}
