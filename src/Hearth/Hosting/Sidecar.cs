using Hearth.Errors;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hearth.Json;
using Hearth.Response;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hearth.Hosting;

/// <summary>The one stdout line a sidecar host (Tauri, Electron, …) reads to find and call Hearth.</summary>
public sealed record SidecarHandshake(
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("anon_key")] string? AnonKey);

/// <summary>
/// Sidecar mode: a random bearer token required on every request, the JSON handshake, and a watch that
/// stops Hearth (and so PostgreSQL) when the parent process dies or closes Hearth's stdin.
/// </summary>
public sealed class Sidecar(IHostApplicationLifetime lifetime, HearthOptions options, ILogger<Sidecar> logger)
{
    public string Token { get; } = Auth.Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The Authorization header a request must carry, built once.</summary>
    private byte[] Expected => _expected ??= Encoding.UTF8.GetBytes("Bearer " + Token);
    private byte[]? _expected;

    public string Handshake(string url) =>
        JsonSerializer.Serialize(new SidecarHandshake(url, new Uri(url).Port, Token, Environment.ProcessId,
            options.JwtSigningSecret is { } secret ? Supabase.ApiKeys.Anon(secret, DateTimeOffset.UtcNow) : null), HearthJsonContext.Default.SidecarHandshake);

    /// <summary>
    /// Rejects requests without a credential before anything else runs. The credential is the sidecar
    /// token (the request is then anonymous, the anon role) or, with --jwt-secret, a bearer JWT, which the
    /// auth stage verifies like any other — so an app can sign in its users and keep RLS working.
    /// </summary>
    public RequestDelegate RequireToken(RequestDelegate next) => async ctx =>
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Expected)) Auth.Authenticator.AcceptSidecarToken(ctx);
        else if (options.JwtKeys is null || Auth.Authenticator.BearerToken(header) is not { Length: > 0 })
        {
            await ErrorWriter.WriteAsync(ctx, ApiErrors.SidecarTokenMissing().Error);
            return;
        }
        await next(ctx);
    };

    /// <summary>Stops the app when stdin reaches end of file or the parent process goes away.</summary>
    public void WatchParent()
    {
        var parent = Posix.ParentPid;
        _ = Task.Run(async () =>
        {
            var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (await stdin.ReadAsync(buffer) > 0) { }
            logger.LogInformation("Sidecar: stdin closed, stopping");
            lifetime.StopApplication();
        });
        if (parent <= 1) return;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                // An orphan is re-parented (to init or a subreaper), so a changed parent id means the parent died.
                while (await timer.WaitForNextTickAsync(lifetime.ApplicationStopping))
                {
                    if (Posix.ParentPid == parent) continue;
                    logger.LogInformation("Sidecar: parent process {Pid} exited, stopping", parent);
                    lifetime.StopApplication();
                    return;
                }
            }
            catch (OperationCanceledException) { }
        });
    }
}
