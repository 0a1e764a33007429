using Hearth.Errors;
using Microsoft.AspNetCore.Http;

namespace Hearth.Request;

/// <summary>Turns an HTTP request into an <see cref="ApiRequest"/>: path, schema profile, query string, headers, body.</summary>
public static class ApiRequestReader
{
    public static async ValueTask<ApiRequest> ReadAsync(HttpRequest http, IReadOnlyList<string> exposedSchemas, bool planEnabled)
    {
        var headers = PostgrestHeaders.Of(http.Headers);
        var (maybeKind, resource, schema) = ReadTarget(http, exposedSchemas, headers);
        var kind = maybeKind ?? throw ApiErrors.InvalidPath();
        var isRead = HttpMethods.IsGet(http.Method) || HttpMethods.IsHead(http.Method);
        var query = QueryStringParser.Parse(http.QueryString.HasValue ? http.QueryString.Value![1..] : "",
            isRpcRead: kind == TargetKind.Routine && isRead);
        var range = isRead && IsItemsUnit(headers.RangeUnit) ? RowRange.FromHeader(http.Headers.Range) : RowRange.All;
        var prefer = Preferences.Parse(headers.Prefer);
        var body = isRead || HttpMethods.IsDelete(http.Method) ? null : await ReadBodyAsync(http, kind, query.Columns is null);
        var accept = MediaTypes.Negotiate(http.Headers.Accept, planEnabled);
        return new ApiRequest(http.Method, schema, kind, resource, query, prefer, range, accept, body)
        {
            Plan = accept == MediaType.Plan ? MediaTypes.PlanSpecOf(http.Headers.Accept.ToString()) : null,
        };
    }

    /// <summary>
    /// What the path names and in which schema: Kind null when the path names nothing (then Resource is its
    /// first segment). PostgREST: Accept-Profile selects the schema for GET, HEAD and OPTIONS, Content-Profile
    /// for the other methods; a schema that is not exposed is 406 PGRST106.
    /// </summary>
    public static RequestTarget ReadTarget(HttpRequest http, IReadOnlyList<string> exposedSchemas) =>
        ReadTarget(http, exposedSchemas, PostgrestHeaders.Of(http.Headers));

    private static RequestTarget ReadTarget(HttpRequest http, IReadOnlyList<string> exposedSchemas, PostgrestHeaders headers)
    {
        var segments = PathSegments(http.Path.Value ?? "");
        var (kind, resource) = segments switch
        {
            [var name] when name.Length > 0 => (TargetKind.Relation, name),
            ["rpc", var fn] when fn.Length > 0 => (TargetKind.Routine, fn),
            _ => ((TargetKind?)null, segments[0]),
        };
        var schema = exposedSchemas[0];
        if (headers.ProfileFor(http.Method).ToString() is { Length: > 0 } requested)
        {
            if (!exposedSchemas.Contains(requested, StringComparer.Ordinal))
                throw ApiErrors.SchemaNotExposed(requested, exposedSchemas);
            schema = requested;
        }
        return new RequestTarget(kind, resource, schema);
    }

    private static async Task<Payload> ReadBodyAsync(HttpRequest http, TargetKind kind, bool requireSameKeys)
    {
        var contentType = (http.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();
        // A function with one unnamed text/xml/bytea parameter takes such bodies as they are (PostgREST).
        if (kind == TargetKind.Routine && contentType == "application/octet-stream") return Payload.FromRaw(BodyKind.Binary, await ReadBytesAsync(http));
        var text = await ReadTextAsync(http);
        return contentType switch
        {
            "text/plain" when kind == TargetKind.Routine => Payload.FromRaw(BodyKind.Text, text),
            "text/xml" when kind == TargetKind.Routine => Payload.FromRaw(BodyKind.Xml, text),
            "text/csv" => Payload.FromCsv(text),
            "application/x-www-form-urlencoded" => Payload.FromForm(text),
            // A function may take any JSON (a single json parameter, params=single-object): keep it whole.
            _ when kind == TargetKind.Routine => Payload.FromJson(text, requireSameKeys: false, allowScalar: true),
            // With columns= the keys come from the URL, so objects may differ (PostgREST skips the check).
            _ => Payload.FromJson(text, requireSameKeys),
        };
    }

    /// <summary>Strict UTF-8: invalid bytes are the client's mistake, never silently replaced and stored.</summary>
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static async Task<string> ReadTextAsync(HttpRequest http)
    {
        using var reader = new StreamReader(http.Body, StrictUtf8);
        try
        {
            return await reader.ReadToEndAsync(http.HttpContext.RequestAborted);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw ApiErrors.InvalidBody("The request body is not valid UTF-8");
        }
        catch (IOException e) when (e.InnerException is OverflowException)
        {
            // Kestrel's chunked-body parser overflows on an absurd chunk size instead of rejecting it as a bad request.
            throw ApiErrors.InvalidBody("The request body's chunked encoding is malformed");
        }
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest http)
    {
        using var buffer = new MemoryStream();
        try
        {
            await http.Body.CopyToAsync(buffer, http.HttpContext.RequestAborted);
        }
        catch (IOException e) when (e.InnerException is OverflowException)
        {
            throw ApiErrors.InvalidBody("The request body's chunked encoding is malformed");
        }
        return buffer.ToArray();
    }

    /// <summary>The path's segments, unescaped; a plain one-segment path (/todos) costs one substring.</summary>
    private static string[] PathSegments(string path)
    {
        var trimmed = path.AsSpan().Trim('/');
        if (trimmed.IndexOfAny('/', '%') < 0) return [trimmed.ToString()];
        var parts = trimmed.ToString().Split('/');
        for (var i = 0; i < parts.Length; i++) parts[i] = Uri.UnescapeDataString(parts[i]);
        return parts;
    }

    private static bool IsItemsUnit(string? unit) => string.IsNullOrEmpty(unit) || unit.Equals("items", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A request's target: a relation or a function (null: the path names neither), and the schema it is looked up in.</summary>
public readonly record struct RequestTarget(TargetKind? Kind, string Resource, string Schema);
