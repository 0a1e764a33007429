namespace Hearth.Supabase;

/// <summary>
/// The [auth] settings of a Supabase project's config.toml that the /auth/v1 server will honour, with the
/// Supabase CLI's defaults. Read now so a project's settings are validated and kept in one typed place.
/// </summary>
public sealed record AuthServerOptions
{
    public string SiteUrl { get; init; } = "http://127.0.0.1:3000";
    public IReadOnlyList<string> AdditionalRedirectUrls { get; init; } = [];
    /// <summary>Access token lifetime in seconds.</summary>
    public long JwtExpiry { get; init; } = 3600;
    public bool EnableSignup { get; init; } = true;
    public bool EnableAnonymousSignIns { get; init; }
    public bool EnableRefreshTokenRotation { get; init; } = true;
    /// <summary>Seconds during which a rotated refresh token may be reused.</summary>
    public long RefreshTokenReuseInterval { get; init; } = 10;
    public long MinimumPasswordLength { get; init; } = 6;
    /// <summary>"", letters_digits, lower_upper_letters_digits, lower_upper_letters_digits_symbols.</summary>
    public string PasswordRequirements { get; init; } = "";
    /// <summary>[auth.email] enable_signup.</summary>
    public bool EmailEnableSignup { get; init; } = true;
    /// <summary>[auth.email] enable_confirmations.</summary>
    public bool EmailEnableConfirmations { get; init; }
    /// <summary>[auth.rate_limit]: name → limit, as written (email_sent, sign_in_sign_ups, token_refresh, …).</summary>
    public IReadOnlyDictionary<string, long> RateLimits { get; init; } = new Dictionary<string, long>();
}
