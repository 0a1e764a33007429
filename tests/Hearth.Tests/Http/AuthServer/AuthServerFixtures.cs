using Hearth.Tests.Infrastructure;

namespace Hearth.Tests.Http.AuthServer;

/// <summary>A Hearth with the auth tables, a shared JWT secret and HEARTH_AUTH_* settings.</summary>
public abstract class GoTrueFixture(string name, IDictionary<string, string> settings) : HearthFixture(name, "gotrue_migrations")
{
    public string DataDir => Dir("data");
    public string Sql => SuperuserConnectionString;

    protected override IDictionary<string, string> Environment =>
        new Dictionary<string, string>(settings) { ["HEARTH_JWT_SECRET"] = Jwt.Secret };
}

/// <summary>A project's defaults, anonymous sign-ins on, rate limits out of the way of the tests.</summary>
public sealed class GoTrueHearth() : GoTrueFixture("gotrue", new Dictionary<string, string>
{
    ["HEARTH_AUTH_ENABLE_ANONYMOUS_SIGN_INS"] = "true",
    ["HEARTH_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS"] = "100000",
    ["HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH"] = "100000",
    ["HEARTH_AUTH_RATE_LIMIT_ANONYMOUS_USERS"] = "100000",
});

/// <summary>Email confirmations on, no refresh token reuse interval, letters and digits of at least 8, anonymous sign-ins off.</summary>
public sealed class StrictGoTrueHearth() : GoTrueFixture("gotrue-strict", new Dictionary<string, string>
{
    ["HEARTH_AUTH_EMAIL_ENABLE_CONFIRMATIONS"] = "true",
    ["HEARTH_AUTH_REFRESH_TOKEN_REUSE_INTERVAL"] = "0",
    ["HEARTH_AUTH_MINIMUM_PASSWORD_LENGTH"] = "8",
    ["HEARTH_AUTH_PASSWORD_REQUIREMENTS"] = "letters_digits",
    ["HEARTH_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS"] = "100000",
    ["HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH"] = "100000",
});

/// <summary>Sign-ups off, anonymous sign-ins on, and tiny rate limits: 3 sign-ups, 3 /token calls, 2 anonymous sign-ins.</summary>
public sealed class LimitedGoTrueHearth() : GoTrueFixture("gotrue-limited", new Dictionary<string, string>
{
    ["HEARTH_AUTH_ENABLE_SIGNUP"] = "false",
    ["HEARTH_AUTH_ENABLE_ANONYMOUS_SIGN_INS"] = "true",
    ["HEARTH_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS"] = "3",
    ["HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH"] = "3",
    ["HEARTH_AUTH_RATE_LIMIT_ANONYMOUS_USERS"] = "2",
});
