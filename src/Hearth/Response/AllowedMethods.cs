using Hearth.Errors;
using Hearth.Schema;
using Microsoft.AspNetCore.Http;

namespace Hearth.Response;

/// <summary>OPTIONS: the Allow header for a table, a view or a function, as PostgREST answers it.</summary>
public static class AllowedMethods
{
    public static void Write(HttpContext ctx, SchemaModel model)
    {
        var segments = (ctx.Request.Path.Value ?? "").Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        var schema = ctx.Request.Headers["Accept-Profile"].ToString() is { Length: > 0 } p ? p : model.ExposedSchemas[0];
        string allow;
        if (segments is ["rpc", var fn])
        {
            var routines = model.FindRoutines(schema, fn).ToList();
            if (routines.Count == 0) throw ApiErrors.TableNotFound(schema, "rpc/" + fn);
            allow = routines.All(r => r.Volatility == Volatility.Volatile) ? "OPTIONS,POST" : "OPTIONS,GET,HEAD,POST";
        }
        else if (segments is [var name] && model.FindRelation(schema, name) is { } relation)
            allow = "OPTIONS,GET,HEAD" + (relation.CanInsert ? ",POST" : "") + (relation.CanInsert && relation.CanUpdate ? ",PUT" : "") +
                    (relation.CanUpdate ? ",PATCH" : "") + (relation.CanDelete ? ",DELETE" : "");
        else
            throw ApiErrors.TableNotFound(schema, segments.FirstOrDefault() ?? "");
        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.Headers.Allow = allow;
    }
}
