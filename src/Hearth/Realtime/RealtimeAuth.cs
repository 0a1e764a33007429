using Hearth.Auth;
using Hearth.Response;

namespace Hearth.Realtime;

/// <summary>A token or role the realtime server refuses; the message goes to the client.</summary>
public sealed class RealtimeAuthException(string message) : Exception(message);

/// <summary>
/// Who a realtime channel runs as, by the same rules as the REST API: the token is verified with Hearth's keys
/// (through the shared token cache), its role claim picks the role, no token is the anon role, and the role
/// must be one the authenticator may become.
/// </summary>
public sealed class RealtimeAuth(HearthOptions options, TokenCache cache, TimeProvider time, Schema.SchemaCache schema)
{
    private readonly JwtValidator? _validator = options.JwtKeys is { } keys
        ? new JwtValidator(keys, options.JwtRoleClaim, options.JwtAudience, options.AnonRole)
        : null;

    public Subscriber Authenticate(string? token)
    {
        Subscriber subscriber;
        if (string.IsNullOrEmpty(token))
        {
            subscriber = options.AnonRole is { } anon ? new Subscriber(anon, ClaimsJson.Anonymous(anon), null)
                : throw new RealtimeAuthException("An access token is required");
        }
        else
        {
            if (_validator is null) throw new RealtimeAuthException("Server lacks JWT secret");
            try
            {
                var now = time.GetUtcNow();
                var verified = cache.GetOrVerify(token, now, t => _validator.Validate(t, now));
                subscriber = new Subscriber(verified.Role, verified.ClaimsJson, verified.Expires);
            }
            catch (Errors.ApiException e)
            {
                throw new RealtimeAuthException(e.Error.Message == "JWT expired" ? "Token has expired" : e.Error.Message);
            }
        }
        if (schema.Current.Roles is { } roles && !roles.CanSwitchTo(subscriber.Role))
            throw new RealtimeAuthException($"Unauthorized: role \"{subscriber.Role}\" may not be used");
        return subscriber;
    }
}
