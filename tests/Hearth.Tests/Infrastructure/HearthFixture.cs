using TUnit.Core.Interfaces;

namespace Hearth.Tests.Infrastructure;

/// <summary>
/// A private Hearth for a group of test classes: a data dir of its own, a fixture migrations folder,
/// extra flags and environment. Subclasses only say which.
/// </summary>
public abstract class HearthFixture(string name, string migrations) : IAsyncInitializer, IAsyncDisposable
{
    private readonly TempDir _dir = new(name);

    public HearthProcess Process { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    protected string Dir(string child) => _dir.Combine(child);

    protected virtual Task<IEnumerable<string>> ArgsAsync() => Task.FromResult(Enumerable.Empty<string>());

    protected virtual IDictionary<string, string>? Environment => null;

    public async Task InitializeAsync()
    {
        Process = await HearthProcess.ServeAsync(Dir("data"), RepoPaths.Fixture(migrations), await ArgsAsync(), Environment);
        // No cookie container: tests send Cookie headers themselves and a Set-Cookie must not carry over.
        Http = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = Process.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
    }

    public virtual async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Process is not null) await Process.DisposeAsync();
        _dir.Dispose();
    }
}
