using Hearth.Errors;
using System.Text.Json;
using Hearth.Auth;
using Hearth.Response;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace Hearth.OpenApi;

/// <summary>
/// GET / (and /rest/v1/ through the gateway): PostgREST's OpenAPI 2.0 document; GET /openapi.json: OpenAPI
/// 3.1. Both describe the schema Accept-Profile picks (the first exposed one by default) as the caller's
/// role sees it: the token is checked as for any request, and only what that role holds privileges on is listed.
/// </summary>
public sealed class OpenApiEndpoint(Schema.SchemaCache schema, NpgsqlDataSource db, Authenticator authenticator)
{
    public const string OpenApi31Path = "/openapi.json";

    /// <summary>Whether this request is for a document (the caller then hands it to <see cref="HandleAsync"/>).</summary>
    public static bool Handles(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path.Value is "/" or OpenApi31Path;

    public async Task HandleAsync(HttpContext ctx)
    {
        var principal = authenticator.Authenticate(ctx);
        var model = schema.Current;
        model.Roles?.EnsureCanSwitchTo(principal.Role);
        var profile = model.ExposedSchemas[0];
        if (ctx.Request.Headers.TryGetValue("Accept-Profile", out var header) && header.ToString() is { Length: > 0 } requested)
        {
            if (!model.ExposedSchemas.Contains(requested, StringComparer.Ordinal)) throw ApiErrors.SchemaNotExposed(requested, model.ExposedSchemas);
            profile = requested;
        }
        var api = await ApiDescription.LoadAsync(db, model, profile, principal.Role, ctx.RequestAborted);
        var request = ctx.Request;
        var info = new DocumentInfo(request.Scheme, request.Host.HasValue ? request.Host.Value! : "localhost",
            request.PathBase.HasValue ? request.PathBase.Value! : "/", HearthVersion.Current);
        var openApi31 = request.Path.Value == OpenApi31Path;
        ctx.Response.ContentType = openApi31 ? "application/json; charset=utf-8" : "application/openapi+json; charset=utf-8";
        if (model.ExposedSchemas.Count > 1) ctx.Response.Headers["Content-Profile"] = profile;
        if (HttpMethods.IsHead(request.Method)) return;
        await using var json = new Utf8JsonWriter(ctx.Response.Body);
        if (openApi31) OpenApi31Document.Write(json, api, info);
        else Swagger2Document.Write(json, api, info);
        await json.FlushAsync(ctx.RequestAborted);
    }
}
