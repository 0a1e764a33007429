using Microsoft.Extensions.Caching.Memory;

namespace Hearth.Auth;

/// <summary>
/// Verified tokens by their text, so a client repeating its token pays for the signature check once.
/// Bounded (--jwt-cache-max-entries; 0 turns it off) and an entry never outlives its token's exp.
/// Failures are not cached: they are cheap to recompute and would let garbage evict good entries.
/// </summary>
public sealed class TokenCache(int maxEntries) : IDisposable
{
    private readonly MemoryCache? _cache = maxEntries > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = maxEntries }) : null;

    public VerifiedToken GetOrVerify(string token, DateTimeOffset now, Func<string, VerifiedToken> verify)
    {
        if (_cache is null) return verify(token);
        if (_cache.TryGetValue(token, out VerifiedToken? hit) && hit is not null && (hit.Expires is not { } e || now <= e + JwtValidator.AllowedSkew))
        {
            Hosting.HearthMetrics.JwtCacheLookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
            return hit;
        }
        Hosting.HearthMetrics.JwtCacheLookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
        var verified = verify(token);
        using (var entry = _cache.CreateEntry(token))
        {
            entry.Value = verified;
            entry.Size = 1;
            if (verified.Expires is { } exp) entry.AbsoluteExpiration = exp + JwtValidator.AllowedSkew;
        }
        return verified;
    }

    public void Dispose() => _cache?.Dispose();
}
