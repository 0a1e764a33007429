using Hearth.Data;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>A function returning void: 204, with what SQL set in response.headers/status.</summary>
public static class CallResponse
{
    public static ApiResponse Void(ApiResult result, IReadOnlyList<string> applied) =>
        new(result.Gucs.Status ?? StatusCodes.Status204NoContent, new ApiResponse.HeaderList().PreferenceApplied(applied).FromSql(result.Gucs).ToList(), null);
}
