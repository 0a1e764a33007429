using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Hearth.Errors;

/// <summary>
/// An error as PostgREST reports it: a JSON object with code, details, hint and message, sent with an
/// HTTP status. Every failure a client can cause ends up as one of these.
/// </summary>
public sealed record ApiError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("details")] JsonNode? Details,
    [property: JsonPropertyName("hint")] string? Hint,
    [property: JsonPropertyName("message")] string Message)
{
    public ApiError(string code, string? details, string? hint, string message)
        : this(code, details is null ? null : JsonValue.Create(details), hint, message) { }

    /// <summary>The details as text: the string itself, or the JSON of structured details.</summary>
    [JsonIgnore]
    public string? DetailsText => Details is JsonValue v && v.TryGetValue(out string? s) ? s : Details?.ToJsonString();

    [JsonIgnore]
    public int Status { get; init; } = 400;

    /// <summary>Extra response headers (e.g. WWW-Authenticate), rarely needed.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>
/// Thrown anywhere in the pipeline to stop the request with a PostgREST-shaped error. Built only by the
/// catalogue (<see cref="ApiErrors"/>); <paramref name="cause"/> keeps the PostgreSQL error it came from.
/// </summary>
public sealed class ApiException(ApiError error, Exception? cause = null) : Exception(error.Message, cause)
{
    public ApiError Error { get; } = error;
}
