namespace Hearth.AuthServer;

/// <summary>
/// How /auth/v1 behaves. Names follow the [auth] section of a Supabase project's config.toml; defaults are
/// what a Supabase project starts with (the CLI's config.toml, which configures GoTrue). Where GoTrue's own
/// built-in default differs, the comment says so.
/// </summary>
public sealed record AuthServerOptions
{
    /// <summary>Where confirmation links would point; reported, not used (no mailer).</summary>
    public string SiteUrl { get; init; } = "http://127.0.0.1:3000";
    /// <summary>[auth] additional_redirect_urls: kept for the redirect checks of flows Hearth does not have yet.</summary>
    public IReadOnlyList<string> AdditionalRedirectUrls { get; init; } = [];
    /// <summary>Access token lifetime in seconds.</summary>
    public int JwtExpiry { get; init; } = 3600;
    public bool EnableSignup { get; init; } = true;
    /// <summary>POST /signup without credentials creates an anonymous user.</summary>
    public bool EnableAnonymousSignIns { get; init; }
    public bool EnableRefreshTokenRotation { get; init; } = true;
    /// <summary>Seconds a rotated refresh token may still be used (GoTrue's built-in default: 0; a project's: 10).</summary>
    public int RefreshTokenReuseInterval { get; init; } = 10;
    /// <summary>GoTrue never goes below 6.</summary>
    public int MinimumPasswordLength { get; init; } = 6;
    /// <summary>"", letters_digits, lower_upper_letters_digits or lower_upper_letters_digits_symbols.</summary>
    public string PasswordRequirements { get; init; } = "";
    /// <summary>[auth.email] enable_signup: email/password sign-ups and sign-ins.</summary>
    public bool EmailEnableSignup { get; init; } = true;
    /// <summary>[auth.email] enable_confirmations (GoTrue's built-in default: true, i.e. no autoconfirm).</summary>
    public bool EmailEnableConfirmations { get; init; }
    /// <summary>[auth.rate_limit] sign_in_sign_ups: sign-ups per 5 minutes per IP (burst 30).</summary>
    public int RateLimitSignUps { get; init; } = 30;
    /// <summary>[auth.rate_limit] token_refresh: /token requests per 5 minutes per IP (burst 30).</summary>
    public int RateLimitTokenRefresh { get; init; } = 150;
    /// <summary>[auth.rate_limit] anonymous_users: anonymous sign-ins per hour per IP.</summary>
    public int RateLimitAnonymousUsers { get; init; } = 30;

    /// <summary>The audience GoTrue writes into users and tokens (its JWT aud default).</summary>
    public string Audience { get; init; } = "authenticated";
    /// <summary>The role new users get (GoTrue's default group name).</summary>
    public string DefaultRole { get; init; } = "authenticated";
    /// <summary>Token roles the admin API accepts (GoTrue's admin roles).</summary>
    public IReadOnlyList<string> AdminRoles { get; init; } = ["service_role", "supabase_admin"];

    /// <summary>
    /// HEARTH_AUTH_&lt;NAME&gt; variables over these settings (HEARTH_AUTH_ENABLE_SIGNUP=false,
    /// HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH=10, …): they win over config.toml and also configure a Hearth that
    /// serves no Supabase project. A value that is not of the setting's type is a usage error, as for any
    /// other HEARTH_* variable.
    /// </summary>
    public AuthServerOptions WithEnvironment(Func<string, string?> env)
    {
        string? S(string name) => env("HEARTH_AUTH_" + name);
        bool B(string name, bool fallback) => S(name) is not { } v ? fallback : v.Trim().ToLowerInvariant() switch
        {
            "1" or "true" or "yes" or "on" => true,
            "0" or "false" or "no" or "off" => false,
            _ => throw new Hosting.HearthUsageException($"HEARTH_AUTH_{name}: '{v}' is not true or false."),
        };
        int I(string name, int fallback, int min) => S(name) is not { } v ? fallback
            : int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min ? n
            : throw new Hosting.HearthUsageException($"HEARTH_AUTH_{name}: '{v}' is not a whole number of at least {min}.");
        return this with
        {
            SiteUrl = S("SITE_URL") ?? SiteUrl,
            JwtExpiry = I("JWT_EXPIRY", JwtExpiry, 1),
            EnableSignup = B("ENABLE_SIGNUP", EnableSignup),
            EnableAnonymousSignIns = B("ENABLE_ANONYMOUS_SIGN_INS", EnableAnonymousSignIns),
            EnableRefreshTokenRotation = B("ENABLE_REFRESH_TOKEN_ROTATION", EnableRefreshTokenRotation),
            RefreshTokenReuseInterval = I("REFRESH_TOKEN_REUSE_INTERVAL", RefreshTokenReuseInterval, 0),
            MinimumPasswordLength = Math.Min(PasswordPolicy.MaxLength, I("MINIMUM_PASSWORD_LENGTH", MinimumPasswordLength, 6)),
            PasswordRequirements = S("PASSWORD_REQUIREMENTS") ?? PasswordRequirements,
            EmailEnableSignup = B("EMAIL_ENABLE_SIGNUP", EmailEnableSignup),
            EmailEnableConfirmations = B("EMAIL_ENABLE_CONFIRMATIONS", EmailEnableConfirmations),
            RateLimitSignUps = I("RATE_LIMIT_SIGN_IN_SIGN_UPS", RateLimitSignUps, 1),
            RateLimitTokenRefresh = I("RATE_LIMIT_TOKEN_REFRESH", RateLimitTokenRefresh, 1),
            RateLimitAnonymousUsers = I("RATE_LIMIT_ANONYMOUS_USERS", RateLimitAnonymousUsers, 1),
        };
    }
}
