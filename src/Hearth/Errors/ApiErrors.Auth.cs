namespace Hearth.Errors;

/// <summary>PostgREST's authentication errors (PGRST30x), role errors, and their WWW-Authenticate challenges (RFC 6750).</summary>
public static partial class ApiErrors
{
    /// <summary>PGRST300: a token arrived but no --jwt-secret is configured to check it with.</summary>
    public static ApiException JwtSecretMissing() => Error(500, "PGRST300", "Server lacks JWT secret");

    /// <summary>PGRST301: the token cannot be decoded or its signature does not verify.</summary>
    public static ApiException JwtInvalid(string message, string? details = null) => Error(401, "PGRST301", message, details, headers: InvalidTokenChallenge(message));

    /// <summary>PGRST302: no token, and anonymous requests are turned off (no anon role).</summary>
    public static ApiException TokenRequired() => Error(401, "PGRST302", "Anonymous access is disabled", headers: Challenge());

    /// <summary>PGRST303: the token verifies but its claims are not acceptable (expired, audience, …).</summary>
    public static ApiException JwtClaims(string message) => Error(401, "PGRST303", message, headers: InvalidTokenChallenge(message));

    /// <summary>A role claim naming no role requests may use: 401 22023 in PostgreSQL's words, as set role would say.</summary>
    public static ApiException UnknownRole(string role) => Error(401, "22023", $"role \"{role}\" does not exist", headers: Challenge());

    /// <summary>A real role the authenticator is not granted: 403 42501, as PostgreSQL's set role refuses it.</summary>
    public static ApiException ForbiddenRole(string role) => Error(403, "42501", $"permission denied to set role \"{role}\"");

    /// <summary>HRTH401: sidecar mode without the handshake's token (or a JWT).</summary>
    public static ApiException SidecarTokenMissing() => Error(401, "HRTH401", "Missing or invalid sidecar token",
        hint: "Send the token from the sidecar handshake as 'Authorization: Bearer <token>'.", headers: Challenge());

    /// <summary>The bare challenge on a 401 that is not about a bad token (no token, permission denied, unknown role).</summary>
    public static Dictionary<string, string> Challenge() => new() { ["WWW-Authenticate"] = "Bearer" };

    private static Dictionary<string, string> InvalidTokenChallenge(string description) =>
        new() { ["WWW-Authenticate"] = $"Bearer error=\"invalid_token\", error_description=\"{description.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"" };
}
