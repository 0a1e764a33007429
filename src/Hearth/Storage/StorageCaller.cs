using System.Text.Json;
using Hearth.Auth;
using Hearth.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearth.Storage;

/// <summary>Who a storage operation runs as: the database role, request.jwt.claims, and the token's sub (the objects' owner).</summary>
public sealed record StoragePrincipal(string Role, string ClaimsJson, string? Subject)
{
    /// <summary>The storage server's own lookups (bucket limits, public and signed-URL downloads): service_role, which bypasses RLS.</summary>
    public static readonly StoragePrincipal Service = new("service_role", """{"role":"service_role"}""", null);

    /// <summary>owner is a uuid column: set only when sub is one (owner_id keeps any sub), as Supabase does.</summary>
    public Guid? OwnerUuid => Guid.TryParse(Subject, out var id) ? id : null;
}

/// <summary>
/// The bearer token of a /storage/v1 call, verified by the REST API's <see cref="Authenticator"/> (same keys,
/// role claim, cache). Like Supabase's storage server, authenticated routes need a token (supabase-js always
/// sends one: the session's, else the anon key); a missing or bad one is 403 AccessDenied.
/// </summary>
public sealed class StorageCaller(Authenticator authenticator)
{
    public StoragePrincipal Require(HttpContext ctx)
    {
        var token = Authenticator.BearerToken(ctx.Request.Headers.Authorization.ToString());
        if (string.IsNullOrEmpty(token)) throw StorageErrors.AccessDenied("Invalid Compact JWS: a bearer token is required");
        Principal principal;
        try { principal = authenticator.Authenticate(ctx); }
        catch (ApiException e) { throw StorageErrors.AccessDenied(e.Error.Message); }
        return new StoragePrincipal(principal.Role, principal.ClaimsJson, Subject(principal.ClaimsJson));
    }

    private static string? Subject(string claimsJson)
    {
        using var doc = JsonDocument.Parse(claimsJson);
        return doc.RootElement.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
    }
}
