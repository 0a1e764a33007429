namespace Hearth.AuthServer;

/// <summary>
/// bcrypt in GoTrue's stored format ($2a$10$…), so a user row copied from Supabase signs in here and back.
/// A hash or check costs ~50–100 ms of CPU: it runs on the thread pool behind a semaphore of one slot
/// per core, so a burst of sign-ins queues here instead of occupying every thread Kestrel needs for
/// other requests (REST reads keep being served while sign-ins wait their turn).
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>GoTrue's cost (Go's bcrypt.DefaultCost).</summary>
    public const int WorkFactor = 10;

    private readonly SemaphoreSlim _slots = new(Math.Max(1, Environment.ProcessorCount));

    public Task<string> HashAsync(string password, CancellationToken ct) =>
        RunAsync(() => BCrypt.Net.BCrypt.HashPassword(password, WorkFactor), ct);

    /// <summary>False for a wrong password and for any stored value that is not a bcrypt hash (never throws for those).</summary>
    public Task<bool> VerifyAsync(string password, string? storedHash, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(storedHash) || !storedHash.StartsWith("$2", StringComparison.Ordinal)) return Task.FromResult(false);
        return RunAsync(() =>
        {
            try { return BCrypt.Net.BCrypt.Verify(password, storedHash); }
            catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException) { return false; }
        }, ct);
    }

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _slots.WaitAsync(ct);
        try { return await Task.Run(work, ct); }
        finally { _slots.Release(); }
    }
}
