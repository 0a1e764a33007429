using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

public static class HearthLogging
{
    /// <summary>
    /// Logs go to stderr: stdout carries only what scripts read (the ready line, later the sidecar handshake).
    /// <paramref name="format"/> "json" (--log-format) writes one JSON object per line for log shippers: the
    /// framework's JSON console formatter, UTC timestamps, the message and its named values under State.
    /// </summary>
    public static ILoggingBuilder AddHearthConsole(this ILoggingBuilder logging, string format = "text")
    {
        logging.ClearProviders();
        if (format == "json")
            logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        else
            logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        logging.AddFilter("Npgsql", LogLevel.Warning);
        // Npgsql logs a stack trace for every pooled connection it fails to close politely after the
        // server died; the outage itself is logged once by DatabaseAvailability, errors reach us as exceptions.
        logging.AddFilter("Npgsql.Connection", LogLevel.None);
        // Off, not Warning: while this category is enabled at any level, ASP.NET Core starts an Activity and a
        // log scope for every request (HostingApplicationDiagnostics), about a tenth of a read's allocations.
        // It only ever logs request start/finish at Information; Hearth's request log is its own middleware.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // A failed start is reported once, as one line, by Cli/CommandRunner: no host stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        return logging;
    }
}
