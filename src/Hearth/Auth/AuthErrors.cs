using Hearth.Response;

namespace Hearth.Auth;

/// <summary>PostgREST's authentication errors (PGRST30x) and their WWW-Authenticate challenges (RFC 6750).</summary>
public static class AuthErrors
{
    /// <summary>A token arrived but no --jwt-secret is configured to check it with.</summary>
    public static ApiException SecretMissing() =>
        new(new ApiError("PGRST300", null, null, "Server lacks JWT secret") { Status = 500 });

    /// <summary>The token cannot be decoded or its signature does not verify.</summary>
    public static ApiException Invalid(string message, string? details = null) =>
        new(new ApiError("PGRST301", details, null, message) { Status = 401, Headers = InvalidToken(message) });

    /// <summary>No token, and anonymous requests are turned off (no anon role).</summary>
    public static ApiException TokenRequired() =>
        new(new ApiError("PGRST302", null, null, "Anonymous access is disabled")
            { Status = 401, Headers = Challenge() });

    /// <summary>The token verifies but its claims are not acceptable (expired, audience, …).</summary>
    public static ApiException Claims(string message) =>
        new(new ApiError("PGRST303", null, null, message) { Status = 401, Headers = InvalidToken(message) });

    public static Dictionary<string, string> InvalidToken(string description) =>
        new() { ["WWW-Authenticate"] = $"Bearer error=\"invalid_token\", error_description=\"{Escape(description)}\"" };

    /// <summary>A role claim naming no role requests may use: 401 22023 in PostgreSQL's words, as set role would say.</summary>
    public static ApiException UnknownRole(string role) =>
        new(new ApiError("22023", null, null, $"role \"{role}\" does not exist") { Status = 401, Headers = Challenge() });

    /// <summary>A real role the authenticator is not granted: 403 42501, as PostgreSQL's set role refuses it.</summary>
    public static ApiException ForbiddenRole(string role) =>
        new(new ApiError("42501", null, null, $"permission denied to set role \"{role}\"") { Status = 403 });

    /// <summary>The bare challenge on a 401 that is not about a bad token (no token, permission denied, unknown role).</summary>
    public static Dictionary<string, string> Challenge() => new() { ["WWW-Authenticate"] = "Bearer" };

    private static string Escape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
