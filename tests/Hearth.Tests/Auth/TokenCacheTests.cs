using Hearth.Auth;

namespace Hearth.Tests.Auth;

/// <summary>The JWT cache: a repeated token is verified once; an entry does not outlive its token.</summary>
public class TokenCacheTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Test]
    public async Task A_repeated_token_is_verified_once()
    {
        using var cache = new TokenCache(10);
        var calls = 0;
        VerifiedToken Verify(string t) { calls++; return new VerifiedToken("authenticated", "{}", Now.AddHours(1)); }
        for (var i = 0; i < 5; i++) cache.GetOrVerify("token-a", Now, Verify);
        cache.GetOrVerify("token-b", Now, Verify);
        await Assert.That(calls).IsEqualTo(2);
    }

    [Test]
    public async Task With_zero_entries_every_request_verifies()
    {
        using var cache = new TokenCache(0);
        var calls = 0;
        for (var i = 0; i < 3; i++) cache.GetOrVerify("t", Now, _ => { calls++; return new VerifiedToken("r", "{}", null); });
        await Assert.That(calls).IsEqualTo(3);
    }

    [Test]
    public async Task An_expired_entry_is_verified_again_so_expiry_is_reported()
    {
        using var cache = new TokenCache(10);
        var calls = 0;
        VerifiedToken Verify(string t) { calls++; return new VerifiedToken("r", "{}", Now.AddSeconds(5)); }
        cache.GetOrVerify("t", Now, Verify);
        cache.GetOrVerify("t", Now.AddMinutes(5), Verify); // past exp + skew
        await Assert.That(calls).IsEqualTo(2);
    }

    [Test]
    public async Task Failures_are_not_cached()
    {
        using var cache = new TokenCache(10);
        var calls = 0;
        for (var i = 0; i < 2; i++)
            try { cache.GetOrVerify("bad", Now, _ => { calls++; throw new InvalidOperationException("bad"); }); } catch (InvalidOperationException) { }
        await Assert.That(calls).IsEqualTo(2);
    }
}
