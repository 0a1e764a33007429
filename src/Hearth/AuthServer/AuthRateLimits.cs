using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>
/// GoTrue's per-IP limits as token buckets (GoTrue uses tollbooth: a rate per second and a burst):
/// sign-ups 30 per 5 minutes, /token 150 per 5 minutes (burst 30 each), anonymous sign-ins 30 per hour.
/// The key is the client's socket address: Hearth is reached directly, so a forwarded-for header would be
/// the client's own claim. Over the limit: 429 over_request_rate_limit.
/// </summary>
public sealed class AuthRateLimits : IDisposable
{
    private const int GoTrueBurst = 30;

    private readonly PartitionedRateLimiter<string> _signups;
    private readonly PartitionedRateLimiter<string> _token;
    private readonly PartitionedRateLimiter<string> _anonymous;

    public AuthRateLimits(AuthServerOptions options)
    {
        _signups = PerIp(options.RateLimitSignUps, TimeSpan.FromMinutes(5), GoTrueBurst);
        _token = PerIp(options.RateLimitTokenRefresh, TimeSpan.FromMinutes(5), GoTrueBurst);
        _anonymous = PerIp(options.RateLimitAnonymousUsers, TimeSpan.FromHours(1), options.RateLimitAnonymousUsers);
    }

    public void SignUp(HttpContext ctx) => Take(_signups, ctx);
    public void Token(HttpContext ctx) => Take(_token, ctx);
    public void AnonymousSignIn(HttpContext ctx) => Take(_anonymous, ctx);

    private static void Take(PartitionedRateLimiter<string> limiter, HttpContext ctx)
    {
        var key = ctx.Connection.RemoteIpAddress?.ToString() ?? "";
        using var lease = limiter.AttemptAcquire(key);
        if (!lease.IsAcquired) throw AuthErrors.RateLimited();
    }

    /// <summary>
    /// <paramref name="perWindow"/> requests per window on average, up to <paramref name="burst"/> at once (GoTrue's
    /// burst, but never above the configured count, so a limit of 5 means 5). The limiter's timer ticks at
    /// most ten times a second, so a fast rate refills in whole-second steps of several requests rather than
    /// one request per (too short) period.
    /// </summary>
    private static PartitionedRateLimiter<string> PerIp(int perWindow, TimeSpan window, int burst)
    {
        var rate = Math.Max(1, perWindow);
        var perSecond = rate / window.TotalSeconds;
        var (period, tokens) = perSecond >= 1
            ? (TimeSpan.FromSeconds(1), (int)Math.Min(int.MaxValue, Math.Ceiling(perSecond)))
            : (window / rate, 1);
        var options = new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(tokens, Math.Min(burst, rate)),
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return PartitionedRateLimiter.Create<string, string>(ip => RateLimitPartition.GetTokenBucketLimiter(ip, _ => options));
    }

    public void Dispose()
    {
        _signups.Dispose();
        _token.Dispose();
        _anonymous.Dispose();
    }
}
