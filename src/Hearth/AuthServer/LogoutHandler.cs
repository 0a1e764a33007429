using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>
/// POST /logout?scope=global|local|others: deletes the user's sessions (global, the default), this
/// session, or all but this one; their refresh tokens go with them, and their access tokens stop working
/// at /auth/v1 at once (the REST API keeps accepting them until they expire, as Supabase's PostgREST does).
/// </summary>
public sealed class LogoutHandler(AuthDatabase db, AuthCaller caller)
{
    public async Task HandleAsync(HttpContext ctx)
    {
        var scope = ctx.Request.Query["scope"].ToString();
        if (scope is not ("" or "global" or "local" or "others"))
            throw AuthErrors.Validation($"Unsupported logout scope \"{scope}\"");
        var ct = ctx.RequestAborted;
        await db.InTransactionAsync(async conn =>
        {
            var me = await caller.RequireUserAsync(ctx, conn);
            switch (scope, me.SessionId)
            {
                case ("local", { } sid): await SessionRepository.DeleteSessionAsync(conn, sid, ct); break;
                case ("others", { } sid): await SessionRepository.DeleteOthersAsync(conn, me.User.Id, sid, ct); break;
                default: await SessionRepository.DeleteAllAsync(conn, me.User.Id, ct); break;
            }
        }, ct);
        ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
