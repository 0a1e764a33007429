using Hearth.Response;
using Microsoft.AspNetCore.Http;

namespace Hearth.Request;

/// <summary>Turns an HTTP request into an <see cref="ApiRequest"/>: path, schema profile, query string, headers.</summary>
public static class ApiRequestReader
{
    public static ApiRequest Read(HttpRequest http, IReadOnlyList<string> exposedSchemas, bool planEnabled)
    {
        var resource = Uri.UnescapeDataString(http.Path.Value?.Trim('/') ?? "");
        if (resource.Length == 0 || resource.Contains('/'))
            throw new ApiException(new ApiError("PGRST125", null, null, "Invalid path specified in request URL") { Status = 404 });
        var isRead = HttpMethods.IsGet(http.Method) || HttpMethods.IsHead(http.Method);
        // PostgREST: Accept-Profile selects the schema for reads, Content-Profile for writes.
        var profileHeader = isRead ? "Accept-Profile" : "Content-Profile";
        var schema = exposedSchemas[0];
        if (http.Headers.TryGetValue(profileHeader, out var profile) && profile.ToString() is { Length: > 0 } requested)
        {
            if (!exposedSchemas.Contains(requested, StringComparer.Ordinal))
                throw ApiErrors.SchemaNotExposed(requested, exposedSchemas);
            schema = requested;
        }
        var query = QueryStringParser.Parse(http.QueryString.HasValue ? http.QueryString.Value![1..] : "");
        var range = isRead && IsItemsUnit(http.Headers["Range-Unit"]) ? RowRange.FromHeader(http.Headers.Range) : RowRange.All;
        return new ApiRequest(
            http.Method,
            schema,
            resource,
            query,
            Preferences.Parse(http.Headers["Prefer"]),
            range,
            MediaTypes.Negotiate(http.Headers.Accept, planEnabled));
    }

    private static bool IsItemsUnit(string? unit) => string.IsNullOrEmpty(unit) || unit.Equals("items", StringComparison.OrdinalIgnoreCase);
}
