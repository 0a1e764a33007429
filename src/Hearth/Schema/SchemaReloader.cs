using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Schema;

/// <summary>
/// Every reload request while serving (NOTIFY on --db-channel, the DDL event trigger, SIGUSR1/SIGUSR2,
/// `serve --watch`) goes through here. Requests are coalesced: a reload starts once no new request came
/// for <see cref="Quiet"/> (at most <see cref="MaxDelay"/> after the first), so a burst of DDL statements
/// costs one reload; a request arriving during a reload causes exactly one more after it.
/// </summary>
public sealed class SchemaReloader(SchemaCache cache, ILogger<SchemaReloader> logger) : BackgroundService
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);

    // One pending slot: any number of requests before the reload starts are one reload.
    private readonly Channel<string> _requests = Channel.CreateBounded<string>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <param name="why">For the log: what asked (e.g. "NOTIFY pgrst 'reload schema'").</param>
    public void Request(string why) => _requests.Writer.TryWrite(why);

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            while (await _requests.Reader.WaitToReadAsync(ct))
            {
                _requests.Reader.TryRead(out var why);
                var deadline = DateTime.UtcNow + MaxDelay;
                await Task.Delay(Quiet, ct);
                while (DateTime.UtcNow < deadline && _requests.Reader.TryRead(out _)) await Task.Delay(Quiet, ct);
                logger.LogInformation("Reloading the schema cache ({Why})", why);
                await cache.TryReloadAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
