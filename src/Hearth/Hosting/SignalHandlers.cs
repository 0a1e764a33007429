using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>
/// Signals whose default action would kill Hearth on the spot — no log, connections reset, PostgreSQL
/// orphaned. (SIGTERM, SIGINT and SIGQUIT are the host's: they stop Hearth gracefully.)
/// - SIGHUP (a closed terminal, or an operator expecting a reload): ignored, with a log line.
/// - SIGUSR1: PostgREST's "reload the schema cache"; reloads it once Hearth is running.
/// - SIGUSR2: PostgREST's "reload the configuration": what Hearth can change while running is in the
///   database (role settings, API roles) and comes with the schema cache, so it reloads that too.
/// PosixSignalRegistration works under Native AOT; the runtime runs handlers on a thread of its own.
/// </summary>
public sealed class SignalHandlers : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    private SignalHandlers() { }

    /// <param name="reloader">null until the server runs: a reload then would race the startup load.</param>
    public static SignalHandlers Register(ILogger logger, Func<Schema.SchemaReloader?> reloader)
    {
        var handlers = new SignalHandlers();
        if (OperatingSystem.IsWindows()) return handlers;
        handlers.Add(PosixSignal.SIGHUP, ctx =>
            logger.LogInformation("SIGHUP received: ignored (Hearth does not reload its configuration; restart it to apply changes)"));
        handlers.Add(SigUsr1, ctx => Reload(logger, reloader(), "SIGUSR1", "the schema cache"));
        handlers.Add(SigUsr2, ctx => Reload(logger, reloader(), "SIGUSR2", "the configuration (role settings and API roles, with the schema cache)"));
        return handlers;
    }

    private static void Reload(ILogger logger, Schema.SchemaReloader? reloader, string signal, string what)
    {
        if (reloader is null)
        {
            logger.LogInformation("{Signal} received: ignored while starting (the schema cache is loaded at startup)", signal);
            return;
        }
        logger.LogInformation("{Signal} received: reloading {What}", signal, what);
        reloader.Request(signal);
    }

    // Raw signal numbers are allowed by PosixSignalRegistration; PosixSignal has no SIGUSR1/2.
    private static PosixSignal SigUsr1 => (PosixSignal)(OperatingSystem.IsMacOS() ? 30 : 10);
    private static PosixSignal SigUsr2 => (PosixSignal)(OperatingSystem.IsMacOS() ? 31 : 12);

    private void Add(PosixSignal signal, Action<PosixSignalContext> handle) =>
        _registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
        {
            ctx.Cancel = true; // no default action: that is what kills the process
            handle(ctx);
        }));

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
