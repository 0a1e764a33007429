using System.Text;

namespace Hearth.Supabase;

/// <summary>
/// Supabase's two API keys — long-lived HS256 JWTs for the anon and service_role roles — signed with the JWT
/// secret. For the Supabase CLI's local secret they are exactly the CLI's well-known keys (iss
/// "supabase-demo", no iat, exp 1983812996), so an app's .env.local keeps working.
/// </summary>
public static class ApiKeys
{
    private const long CliExpiry = 1983812996;

    public static string Anon(byte[] secret, DateTimeOffset now) => Sign(secret, "anon", now);

    public static string ServiceRole(byte[] secret, DateTimeOffset now) => Sign(secret, "service_role", now);

    private static string Sign(byte[] secret, string role, DateTimeOffset now)
    {
        var local = secret.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(JwtDefaults.SupabaseLocalSecret));
        var issuedAt = now.ToUnixTimeSeconds();
        // Built by hand: the CLI's keys depend on this exact member order.
        var payload = local
            ? $$"""{"iss":"supabase-demo","role":"{{role}}","exp":{{CliExpiry}}}"""
            : $$"""{"iss":"supabase","role":"{{role}}","iat":{{issuedAt}},"exp":{{now.AddYears(10).ToUnixTimeSeconds()}}}""";
        return Auth.Hs256Signer.Sign(secret, payload);
    }
}
