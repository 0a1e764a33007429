using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hearth.Hosting;

namespace Hearth.Supabase;

/// <summary>
/// The JWT secret when none is configured, so auth works out of the box. With --supabase: the Supabase
/// CLI's local-development secret (its well-known anon/service_role keys then work), refused on a
/// non-loopback address since everyone knows it. Otherwise, in embedded mode: a random secret made once and
/// kept in the data dir (jwt-secret, mode 0600), so keys survive restarts. With --database-url and no
/// secret nothing changes: a token is 500 PGRST300, as in PostgREST.
/// </summary>
public static class JwtDefaults
{
    /// <summary>The Supabase CLI's public local-development secret.</summary>
    public const string SupabaseLocalSecret = "super-secret-jwt-token-with-at-least-32-characters-long";

    public const string SecretFileName = "jwt-secret";

    public static HearthOptions Resolve(HearthOptions options)
    {
        var resolved = options;
        if (options.JwtKeys is null)
        {
            string? secret = options.SupabaseDir is not null ? SupabaseLocalSecret
                : options.DatabaseUrl is null ? DataDirSecret(options.DataDir) : null;
            if (secret is not null) resolved = options with { JwtKeys = Auth.JwtKeySet.Parse(secret, false, _ => secret) };
        }
        // The auth server signs with the shared secret when there is exactly one (a JWK/JWKS cannot sign here).
        if (resolved.JwtSigningSecret is null && resolved.JwtKeys?.Keys is [Auth.HmacKey only])
            resolved = resolved with { JwtSigningSecret = only.Secret };
        var isPublic = resolved.JwtSigningSecret is { } bytes && bytes.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(SupabaseLocalSecret));
        if (isPublic && !IsLoopback(resolved.Host))
            throw new HearthUsageException($"--host {resolved.Host}: the JWT secret is the Supabase CLI's public local-development secret, so anyone could mint tokens. " +
                                           "Listen on 127.0.0.1, or set --jwt-secret (HEARTH_JWT_SECRET) to a secret of your own.");
        return resolved;
    }

    public static bool IsLoopback(string host) => host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The data dir's own secret, created on first use (64 base64url characters from 48 random bytes).</summary>
    public static string DataDirSecret(string dataDir)
    {
        var path = Path.Combine(dataDir, SecretFileName);
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(dataDir);
        var secret = Auth.Base64Url.Encode(RandomNumberGenerator.GetBytes(48));
        // Written to a private temporary file and renamed, so the secret is never readable by others, even briefly.
        var temp = path + "." + Environment.ProcessId + ".tmp";
        var stream = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) stream.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var writer = new StreamWriter(temp, Encoding.ASCII, stream)) writer.Write(secret);
        try { File.Move(temp, path, overwrite: false); }
        catch (IOException) when (File.Exists(path)) { File.Delete(temp); } // another start won the race: use its secret
        return File.ReadAllText(path).Trim();
    }
}
