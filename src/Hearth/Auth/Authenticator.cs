using Hearth.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearth.Auth;

/// <summary>
/// Who a request runs as: its database role and request.jwt.claims. <paramref name="Authenticated"/>: a role
/// other than the anon role — PostgREST's test for answering a permission error with 403 rather than 401.
/// </summary>
public sealed record Principal(string Role, string ClaimsJson, bool Authenticated);

/// <summary>
/// The auth stage, first in the pipeline as in PostgREST (a bad token is a 401 on any path): reads the
/// bearer token, verifies it (through the token cache) and picks the role — the token's role claim, else
/// the anon role; no token and no anon role is a 401.
/// </summary>
public sealed class Authenticator(HearthOptions options, TokenCache cache, TimeProvider time)
{
    private const string SidecarTokenKey = "hearth.sidecar-token";

    private readonly JwtValidator? _validator = options.JwtKeys is { } keys
        ? new JwtValidator(keys, options.JwtRoleClaim, options.JwtAudience, options.AnonRole)
        : null;

    private readonly Principal? _anonymous = options.AnonRole is { } anon ? new Principal(anon, ClaimsJson.Anonymous(anon), Authenticated: false) : null;

    public Principal Authenticate(HttpContext ctx)
    {
        // Items is allocated on first use: only look there in sidecar mode.
        var token = options.Sidecar && ctx.Items.ContainsKey(SidecarTokenKey) ? null : BearerToken(ctx.Request.Headers.Authorization.ToString());
        if (token is null) return _anonymous ?? throw ApiErrors.TokenRequired();
        if (_validator is null) throw ApiErrors.JwtSecretMissing();
        var verified = cache.GetOrVerify(token, time.GetUtcNow(), t => _validator.Validate(t, time.GetUtcNow()));
        return new Principal(verified.Role, verified.ClaimsJson, verified.Role != options.AnonRole);
    }

    /// <summary>The sidecar's own token was the credential: the request is anonymous as far as JWTs go.</summary>
    public static void AcceptSidecarToken(HttpContext ctx) => ctx.Items[SidecarTokenKey] = true;

    /// <summary>
    /// "Bearer &lt;token&gt;", the scheme in any case; any other scheme (Basic, …) is no token, as in PostgREST.
    /// "Bearer" alone is an empty token, which is an error rather than anonymous.
    /// </summary>
    public static string? BearerToken(string header)
    {
        var value = header.TrimStart();
        if (value.Length == 0) return null;
        var space = value.IndexOfAny([' ', '\t']);
        var scheme = space < 0 ? value : value[..space];
        if (!scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)) return null;
        return space < 0 ? "" : value[(space + 1)..].TrimStart(' ', '\t');
    }
}
