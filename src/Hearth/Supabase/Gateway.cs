using Hearth.Errors;
using System.Collections.Concurrent;
using Hearth.Auth;
using Microsoft.AspNetCore.Http;

namespace Hearth.Supabase;

/// <summary>
/// What Supabase's API gateway (Kong) does in front of PostgREST, so supabase-js works against Hearth:
/// <list type="bullet">
/// <item>/rest/v1/… is the API: the prefix moves to PathBase, so the request (request.path, Location headers)
/// looks as PostgREST sees it behind Kong. There an <c>apikey</c> header is required, as Kong's key-auth does.</item>
/// <item>An <c>apikey</c> header must be a valid API key — a JWT verified with Hearth's keys whose role is the anon
/// role or service_role — else 401 with the gateway's body. A valid key is the bearer token when the request
/// has no Authorization header (signed-out clients send the key in both).</item>
/// <item>/auth/v1 is the GoTrue-compatible server (src/Hearth/AuthServer): an <c>apikey</c> is required there too,
/// as Kong's key-auth does, but never copied into Authorization (GoTrue tells "no token" from the anon key).</item>
/// </list>
/// <item>/storage/v1 (src/Hearth/Storage) needs no <c>apikey</c>, as Kong's storage route has no key-auth (public and
/// signed URLs are opened by browsers without headers); a given key must be valid and, as on /rest/v1, stands
/// in for a missing Authorization header.</item>
/// Plain PostgREST paths keep working and need no apikey.
/// </summary>
public sealed class Gateway(HearthOptions options)
{
    public const string RestPrefix = "/rest/v1";
    private const string AuthPrefix = "/auth/v1";
    // As PathStrings, made once: converting a string to one decodes it, on every request.
    private static readonly PathString RestPath = new(RestPrefix), AuthPath = new(AuthPrefix);
    private const int MaxRememberedKeys = 64;

    private static readonly byte[] NoKey = """{"message":"No API key found in request","hint":"No `apikey` request header or url param was found."}"""u8.ToArray();
    private static readonly byte[] BadKey = """{"message":"Invalid API key","hint":"Double check your Supabase `anon` or `service_role` API key."}"""u8.ToArray();

    private readonly JwtValidator? _validator = options.JwtKeys is { } keys ? new JwtValidator(keys, options.JwtRoleClaim, options.JwtAudience, options.AnonRole) : null;
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _validKeys = new(StringComparer.Ordinal);

    // Not async: on every request, so the common paths cost no state machine.
    public RequestDelegate Handle(RequestDelegate next) => ctx =>
    {
        var request = ctx.Request;
        var path = request.Path;
        var rest = path.StartsWithSegments(RestPath, StringComparison.Ordinal, out var remaining);
        if (rest)
        {
            request.PathBase = request.PathBase.Add(RestPath);
            request.Path = remaining.HasValue ? remaining : "/";
        }
        var auth = !rest && path.StartsWithSegments(AuthPath, StringComparison.Ordinal);
        var apiKey = request.Headers["apikey"].ToString();
        if (apiKey.Length == 0)
        {
            if (rest || auth) return WriteAsync(ctx, 401, NoKey);
        }
        else if (!IsValid(apiKey))
        {
            return WriteAsync(ctx, 401, BadKey);
        }
        else if (!auth && request.Headers.Authorization.Count == 0)
        {
            request.Headers.Authorization = "Bearer " + apiKey;
        }
        return next(ctx);
    };

    private bool IsValid(string key)
    {
        var now = DateTimeOffset.UtcNow;
        if (_validKeys.TryGetValue(key, out var expires)) return expires is null || expires > now;
        if (_validator is null) return false;
        VerifiedToken verified;
        try { verified = _validator.Validate(key, now); }
        catch (Errors.ApiException) { return false; }
        if (verified.Role != options.AnonRole && verified.Role != "service_role") return false;
        if (_validKeys.Count < MaxRememberedKeys) _validKeys[key] = verified.Expires;
        return true;
    }

    private static Task WriteAsync(HttpContext ctx, int status, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return HttpMethods.IsHead(ctx.Request.Method) ? Task.CompletedTask : ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }
}
