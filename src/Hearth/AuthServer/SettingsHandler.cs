using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>GET /settings (what the client may use) and GET /health, in GoTrue's shapes.</summary>
public sealed class SettingsHandler(AuthServerOptions options)
{
    /// <summary>External providers GoTrue lists; Hearth offers only email (and anonymous sign-ins when enabled).</summary>
    private static readonly string[] OAuthProviders =
    [
        "apple", "azure", "bitbucket", "discord", "facebook", "snapchat", "figma", "fly", "github", "gitlab", "google",
        "keycloak", "kakao", "linkedin", "linkedin_oidc", "notion", "spotify", "slack", "slack_oidc", "workos", "twitch",
        "twitter",
    ];

    public Task SettingsAsync(HttpContext ctx) => AuthJson.SendAsync(ctx, 200, w =>
    {
        w.WriteStartObject();
        w.WriteStartObject("external");
        w.WriteBoolean("anonymous_users", options.EnableAnonymousSignIns);
        foreach (var p in OAuthProviders) w.WriteBoolean(p, false);
        w.WriteBoolean("email", options.EmailEnableSignup);
        w.WriteBoolean("phone", false);
        w.WriteBoolean("zoom", false);
        w.WriteEndObject();
        w.WriteBoolean("disable_signup", !options.EnableSignup);
        w.WriteBoolean("mailer_autoconfirm", !options.EmailEnableConfirmations);
        w.WriteBoolean("phone_autoconfirm", false);
        w.WriteString("sms_provider", "");
        w.WriteBoolean("saml_enabled", false);
        w.WriteBoolean("saml_private_key_next_configured", false);
        w.WriteBoolean("passkeys_enabled", false);
        w.WriteEndObject();
    });

    public static Task HealthAsync(HttpContext ctx) => AuthJson.SendAsync(ctx, 200, w =>
    {
        w.WriteStartObject();
        w.WriteString("version", "hearth-" + HearthVersion.Current);
        w.WriteString("name", "GoTrue");
        w.WriteString("description", "GoTrue is a user registration and authentication API");
        w.WriteEndObject();
    });
}
