using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hearth.AuthServer;

/// <summary>Registers /auth/v1 beside the REST pipeline.</summary>
public static class AuthServerServices
{
    public static IServiceCollection AddHearthAuthServer(this IServiceCollection services, AuthServerOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<AuthDatabase>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<AccessTokenIssuer>();
        services.AddSingleton<SessionIssuer>();
        services.AddSingleton<AuthCaller>();
        services.AddSingleton<AuthRateLimits>();
        services.AddSingleton<SignupHandler>();
        services.AddSingleton<TokenHandler>();
        services.AddSingleton<UserHandler>();
        services.AddSingleton<LogoutHandler>();
        services.AddSingleton<AdminUsersHandler>();
        services.AddSingleton<SettingsHandler>();
        services.AddSingleton<AuthServerRouter>();
        return services;
    }

    /// <summary>Says once, at startup, what the auth server cannot do in this configuration.</summary>
    public static void LogAuthServerLimits(IServiceProvider services, ILogger logger)
    {
        var options = services.GetRequiredService<AuthServerOptions>();
        if (!services.GetRequiredService<AccessTokenIssuer>().CanSign)
            logger.LogWarning("/auth/v1 cannot issue sessions: it signs HS256 tokens with a shared --jwt-secret, and none is configured.");
        if (options.EmailEnableConfirmations)
            logger.LogWarning("Email confirmations are on but Hearth has no mailer: new users stay unconfirmed and cannot sign in until confirmed through the admin API (email_confirm).");
    }
}
