using Hearth.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Hearth.Response;

/// <summary>
/// A response as the Response stage decides it from (request, result): status, headers in the order they
/// apply (a later header of the same name replaces an earlier one, so SQL's response.headers win), and
/// the body. Sent only after the database connection is back in the pool.
/// </summary>
public sealed record ApiResponse(int Status, IReadOnlyList<KeyValuePair<string, StringValues>> Headers, BufferedBody? Body)
{
    /// <summary>The value a header ends up with (case-insensitive), or null.</summary>
    public string? Header(string name)
    {
        string? value = null;
        foreach (var (key, v) in Headers)
            if (key.Equals(name, StringComparison.OrdinalIgnoreCase)) value = v.ToString();
        return value;
    }

    public async Task SendAsync(HttpContext ctx)
    {
        var response = ctx.Response;
        response.StatusCode = Status;
        for (var i = 0; i < Headers.Count; i++) response.Headers[Headers[i].Key] = Headers[i].Value; // no enumerator per response
        if (Body is null) return;
        response.ContentLength ??= Body.Length;
        await Body.CopyToAsync(response.Body, ctx.RequestAborted);
    }

    /// <summary>Builds the header list: Hearth's own headers first, then those SQL set (response.headers), which replace them.</summary>
    public sealed class HeaderList
    {
        private readonly List<KeyValuePair<string, StringValues>> _headers = new(4); // a response's few headers without growing

        public HeaderList Add(string name, string value)
        {
            _headers.Add(new(name, value));
            return this;
        }

        /// <summary>Preference-Applied, when any preference applied.</summary>
        public HeaderList PreferenceApplied(IReadOnlyList<string> applied) => applied.Count > 0 ? Add("Preference-Applied", string.Join(", ", applied)) : this;

        /// <summary>response.headers: each name once, with all its values, after (so instead of) Hearth's own.</summary>
        public HeaderList FromSql(ResponseGucs gucs)
        {
            if (ReferenceEquals(gucs, ResponseGucs.None)) return this; // the common case, on every response
            foreach (var group in gucs.Headers.GroupBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
                _headers.Add(new(group.Key, new StringValues(group.Select(h => h.Value).ToArray())));
            return this;
        }

        public IReadOnlyList<KeyValuePair<string, StringValues>> ToList() => _headers;
    }
}
