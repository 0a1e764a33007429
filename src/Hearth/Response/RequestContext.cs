using Hearth.Auth;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>Per-request facts later stages need, set by the auth stage.</summary>
public static class RequestContext
{
    private const string AuthenticatedKey = "hearth.authenticated";

    /// <summary>
    /// Whether the request runs as a role other than the anon role — PostgREST's test for answering a
    /// permission error with 403 (authenticated) rather than 401 (log in first).
    /// </summary>
    public static bool IsAuthenticated(HttpContext ctx) => ctx.Items.TryGetValue(AuthenticatedKey, out var v) && v is true;

    public static void SetPrincipal(HttpContext ctx, Principal principal, string? anonRole)
    {
        if (principal.Role != anonRole) ctx.Items[AuthenticatedKey] = true;
    }
}
