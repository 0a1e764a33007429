using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>Per-request facts later stages need (set by the auth stage once it exists).</summary>
public static class RequestContext
{
    private const string AuthenticatedKey = "hearth.authenticated";

    public static bool IsAuthenticated(HttpContext ctx) => ctx.Items.TryGetValue(AuthenticatedKey, out var v) && v is true;

    public static void MarkAuthenticated(HttpContext ctx) => ctx.Items[AuthenticatedKey] = true;
}
