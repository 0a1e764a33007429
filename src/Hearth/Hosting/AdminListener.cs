using System.Text.Json;
using Hearth.Backup;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Hearth.Hosting;

/// <summary>
/// The admin listener (--admin-port, like PostgREST's admin-server-port): a second Kestrel endpoint on
/// --admin-host (127.0.0.1 by default) whose connections are marked, so its few paths never mix with the API's. /metrics is the
/// Prometheus exporter (wired in HearthServer); here /live, /ready and POST /backup (service_role only).
/// </summary>
public sealed class AdminListener(HealthEndpoints health, Auth.Authenticator authenticator, IServiceProvider services)
{
    private const string Key = "hearth.admin-listener";

    /// <summary>Marks the admin endpoint's connections, so <see cref="IsAdmin"/> knows them.</summary>
    public static void Mark(ListenOptions listen) => listen.Use(next => connection =>
    {
        connection.Items[Key] = true;
        return next(connection);
    });

    public static bool IsAdmin(HttpContext ctx) => ctx.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Key) == true;

    public Task HandleAsync(HttpContext ctx) => ctx.Request.Path.Value switch
    {
        "/live" => health.LiveAsync(ctx),
        "/ready" => health.ReadyAsync(ctx),
        "/backup" when HttpMethods.IsPost(ctx.Request.Method) => BackupAsync(ctx),
        "/backup" => SendAsync(ctx, StatusCodes.Status405MethodNotAllowed, "POST /backup takes a backup."),
        _ => SendAsync(ctx, StatusCodes.Status404NotFound, "The admin port serves /live, /ready, /metrics and POST /backup."),
    };

    private async Task BackupAsync(HttpContext ctx)
    {
        string role;
        try { role = authenticator.Authenticate(ctx).Role; }
        catch (Exception e) when (e is not OperationCanceledException) { role = ""; }
        if (role != "service_role")
        {
            await SendAsync(ctx, StatusCodes.Status401Unauthorized, "POST /backup needs the service_role key as a Bearer token.");
            return;
        }
        if (services.GetService<BackupService>() is not { } backups)
        {
            await SendAsync(ctx, StatusCodes.Status400BadRequest, BackupRun.OperatorsJob);
            return;
        }
        try
        {
            var (file, result) = await backups.TakeAsync(ctx.RequestAborted);
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            ctx.Response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(ctx.Response.Body, new BackupTaken(file, result.ArchiveBytes, Math.Round(result.Elapsed.TotalSeconds, 3)),
                BackupJsonContext.Default.BackupTaken, ctx.RequestAborted);
        }
        catch (Exception e) when (e is HearthStartupException or IOException or Npgsql.NpgsqlException or UnauthorizedAccessException)
        {
            await SendAsync(ctx, StatusCodes.Status500InternalServerError, "The backup failed: " + e.Message);
        }
    }

    private static Task SendAsync(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(ctx.Response.Body, new AdminMessage(message), BackupJsonContext.Default.AdminMessage, ctx.RequestAborted);
    }
}
