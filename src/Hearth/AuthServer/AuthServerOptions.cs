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
    /// The [auth] settings of the project's config.toml (--supabase), then HEARTH_AUTH_&lt;NAME&gt; variables
    /// over them (HEARTH_AUTH_ENABLE_SIGNUP=false, HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH=10, …), which also
    /// configure a Hearth that serves no Supabase project.
    /// </summary>
    public static AuthServerOptions From(Supabase.AuthServerOptions config, Func<string, string?> env)
    {
        long Limit(string name, long fallback) => config.RateLimits.TryGetValue(name, out var v) ? v : fallback;
        var defaults = new AuthServerOptions();
        var fromToml = defaults with
        {
            SiteUrl = config.SiteUrl,
            JwtExpiry = (int)Math.Clamp(config.JwtExpiry, 1, int.MaxValue),
            EnableSignup = config.EnableSignup,
            EnableAnonymousSignIns = config.EnableAnonymousSignIns,
            EnableRefreshTokenRotation = config.EnableRefreshTokenRotation,
            RefreshTokenReuseInterval = (int)Math.Clamp(config.RefreshTokenReuseInterval, 0, int.MaxValue),
            MinimumPasswordLength = (int)Math.Clamp(config.MinimumPasswordLength, 6, PasswordPolicy.MaxLength),
            PasswordRequirements = config.PasswordRequirements,
            EmailEnableSignup = config.EmailEnableSignup,
            EmailEnableConfirmations = config.EmailEnableConfirmations,
            RateLimitSignUps = (int)Math.Clamp(Limit("sign_in_sign_ups", defaults.RateLimitSignUps), 1, int.MaxValue),
            RateLimitTokenRefresh = (int)Math.Clamp(Limit("token_refresh", defaults.RateLimitTokenRefresh), 1, int.MaxValue),
            RateLimitAnonymousUsers = (int)Math.Clamp(Limit("anonymous_users", defaults.RateLimitAnonymousUsers), 1, int.MaxValue),
        };
        return WithEnvironment(fromToml, env);
    }

    private static AuthServerOptions WithEnvironment(AuthServerOptions o, Func<string, string?> env)
    {
        string? S(string name) => env("HEARTH_AUTH_" + name);
        bool B(string name, bool fallback) => S(name) is { } v ? v.Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on" : fallback;
        int I(string name, int fallback) => S(name) is { } v && int.TryParse(v, out var n) ? n : fallback;
        return o with
        {
            SiteUrl = S("SITE_URL") ?? o.SiteUrl,
            JwtExpiry = I("JWT_EXPIRY", o.JwtExpiry),
            EnableSignup = B("ENABLE_SIGNUP", o.EnableSignup),
            EnableAnonymousSignIns = B("ENABLE_ANONYMOUS_SIGN_INS", o.EnableAnonymousSignIns),
            EnableRefreshTokenRotation = B("ENABLE_REFRESH_TOKEN_ROTATION", o.EnableRefreshTokenRotation),
            RefreshTokenReuseInterval = I("REFRESH_TOKEN_REUSE_INTERVAL", o.RefreshTokenReuseInterval),
            MinimumPasswordLength = Math.Max(6, I("MINIMUM_PASSWORD_LENGTH", o.MinimumPasswordLength)),
            PasswordRequirements = S("PASSWORD_REQUIREMENTS") ?? o.PasswordRequirements,
            EmailEnableSignup = B("EMAIL_ENABLE_SIGNUP", o.EmailEnableSignup),
            EmailEnableConfirmations = B("EMAIL_ENABLE_CONFIRMATIONS", o.EmailEnableConfirmations),
            RateLimitSignUps = I("RATE_LIMIT_SIGN_IN_SIGN_UPS", o.RateLimitSignUps),
            RateLimitTokenRefresh = I("RATE_LIMIT_TOKEN_REFRESH", o.RateLimitTokenRefresh),
            RateLimitAnonymousUsers = I("RATE_LIMIT_ANONYMOUS_USERS", o.RateLimitAnonymousUsers),
        };
    }
}
