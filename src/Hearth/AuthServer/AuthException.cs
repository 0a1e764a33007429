namespace Hearth.AuthServer;

/// <summary>
/// A GoTrue error: HTTP status, error_code and message (plus the reasons of a weak password). Thrown
/// anywhere in /auth/v1 and written by <see cref="AuthErrorWriter"/> in the shape the client asked for.
/// </summary>
public sealed class AuthException(int status, string errorCode, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string ErrorCode { get; } = errorCode;
    /// <summary>weak_password only: length, characters.</summary>
    public IReadOnlyList<string>? WeakPasswordReasons { get; init; }
    /// <summary>GoTrue answers a few token errors as OAuth errors ({"error","error_description"}).</summary>
    public bool IsOAuth { get; init; }
}

/// <summary>The GoTrue errors /auth/v1 can answer, with GoTrue's status codes and messages.</summary>
public static class AuthErrors
{
    public static AuthException BadRequest(string code, string message) => new(400, code, message);
    public static AuthException Unprocessable(string code, string message) => new(422, code, message);
    public static AuthException Forbidden(string code, string message) => new(403, code, message);

    public static AuthException Validation(string message) => BadRequest("validation_failed", message);
    public static AuthException BadJson(string detail) => BadRequest("bad_json", "Could not parse request body as JSON: " + detail);
    public static AuthException InvalidCredentials() => BadRequest("invalid_credentials", "Invalid login credentials");
    public static AuthException SignupDisabled() => Unprocessable("signup_disabled", "Signups not allowed for this instance");
    public static AuthException AnonymousDisabled() => Unprocessable("anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    public static AuthException UserAlreadyExists() => Unprocessable("user_already_exists", "User already registered");
    public static AuthException EmailExists() => Unprocessable("email_exists", "A user with this email address has already been registered");
    public static AuthException EmailNotConfirmed() => BadRequest("email_not_confirmed", "Email not confirmed");
    public static AuthException UserBanned() => BadRequest("user_banned", "User is banned");
    public static AuthException NoAuthorization() => new(401, "no_authorization", "This endpoint requires a valid Bearer token");
    public static AuthException BadJwt(string message) => Forbidden("bad_jwt", message);
    public static AuthException NotAdmin() => Forbidden("not_admin", "User not allowed");
    public static AuthException UserNotFound() => new(404, "user_not_found", "User not found");
    public static AuthException SessionNotFound() => Forbidden("session_not_found", "Session from session_id claim in JWT does not exist");
    public static AuthException RefreshTokenNotFound() => BadRequest("refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
    public static AuthException RefreshTokenAlreadyUsed() => BadRequest("refresh_token_already_used", "Invalid Refresh Token: Already Used");
    public static AuthException RateLimited() => new(429, "over_request_rate_limit", "Request rate limit reached");
    public static AuthException NotFound() => new(404, "unknown", "Not Found");
    public static AuthException MethodNotAllowed() => new(405, "unknown", "Method Not Allowed");
    public static AuthException Unexpected(string message) => new(500, "unexpected_failure", message);

    public static AuthException WeakPassword(string message, IReadOnlyList<string> reasons) =>
        new(422, "weak_password", message) { WeakPasswordReasons = reasons };

    public static AuthException OAuth(string error, string description) => new(400, error, description) { IsOAuth = true };
}
