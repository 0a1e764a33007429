using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Hearth.AuthServer;

/// <summary>
/// /auth/v1/*: dispatches on method and path (no endpoint routing, like the rest of Hearth) and turns
/// every failure into a GoTrue error — a client's mistake into its 4xx, anything else into a logged 500
/// unexpected_failure without details.
/// </summary>
public sealed class AuthServerRouter(SignupHandler signup, TokenHandler token, UserHandler user, LogoutHandler logout,
    AdminUsersHandler admin, SettingsHandler settings, ILogger<AuthServerRouter> logger)
{
    public const string Prefix = "/auth/v1";

    /// <summary><see cref="Prefix"/> as a PathString, made once: converting the string costs a decode per request.</summary>
    public static readonly Microsoft.AspNetCore.Http.PathString PrefixPath = new(Prefix);

    public async Task HandleAsync(HttpContext ctx, PathString rest)
    {
        try
        {
            await DispatchAsync(ctx, rest.Value?.TrimEnd('/') ?? "");
        }
        catch (AuthException e)
        {
            await WriteAsync(ctx, e);
        }
        catch (CommitThenFail e)
        {
            await WriteAsync(ctx, e.Error);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
        catch (PostgresException e) when (e.SqlState is "22P05" or "22021")
        {
            // Metadata with \u0000 (jsonb refuses it) or text PostgreSQL cannot store: the client's value, a 400.
            await WriteAsync(ctx, AuthErrors.BadJson("a value contains a character PostgreSQL cannot store (NUL)"));
        }
        catch (Exception e) when (e is PostgresException or NpgsqlException)
        {
            // PostgreSQL's message can quote values (an email in a constraint's detail): log it, do not send it.
            logger.LogError("Auth server database error on {Method} {Path}: {Type} {Message}", ctx.Request.Method, ctx.Request.Path,
                e is PostgresException pg ? pg.SqlState : e.GetType().Name, e is PostgresException p ? p.MessageText : e.Message);
            await WriteAsync(ctx, AuthErrors.Unexpected("Database error"));
        }
    }

    private Task DispatchAsync(HttpContext ctx, string path)
    {
        var method = ctx.Request.Method;
        switch (path)
        {
            case "/signup": return Only(method, "POST", () => signup.HandleAsync(ctx));
            case "/token": return Only(method, "POST", () => token.HandleAsync(ctx));
            case "/logout": return Only(method, "POST", () => logout.HandleAsync(ctx));
            case "/settings": return Only(method, "GET", () => settings.SettingsAsync(ctx));
            case "/health": return Only(method, "GET", () => SettingsHandler.HealthAsync(ctx));
            case "/user":
                return method switch
                {
                    "GET" => user.GetAsync(ctx),
                    "PUT" => user.PutAsync(ctx),
                    _ => throw AuthErrors.MethodNotAllowed(),
                };
            case "/admin/users":
                return method switch
                {
                    "GET" => admin.ListAsync(ctx),
                    "POST" => admin.CreateAsync(ctx),
                    _ => throw AuthErrors.MethodNotAllowed(),
                };
        }
        if (path.StartsWith("/admin/users/", StringComparison.Ordinal) && path.IndexOf('/', "/admin/users/".Length) < 0)
        {
            var id = path["/admin/users/".Length..];
            return method switch
            {
                "GET" => admin.GetAsync(ctx, id),
                "PUT" => admin.UpdateAsync(ctx, id),
                "DELETE" => admin.DeleteAsync(ctx, id),
                _ => throw AuthErrors.MethodNotAllowed(),
            };
        }
        throw AuthErrors.NotFound();
    }

    private static Task Only(string method, string allowed, Func<Task> run) =>
        method == allowed ? run() : throw AuthErrors.MethodNotAllowed();

    private static Task WriteAsync(HttpContext ctx, AuthException e) =>
        ctx.Response.HasStarted ? Abort(ctx) : AuthErrorWriter.WriteAsync(ctx, e);

    private static Task Abort(HttpContext ctx)
    {
        ctx.Abort();
        return Task.CompletedTask;
    }
}
