using Hearth.Errors;
using System.Text.Json.Serialization;
using Hearth.Response;

namespace Hearth.Json;

/// <summary>
/// Every type Hearth serializes itself. Row data never goes through here: PostgreSQL builds that JSON.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(Hosting.SidecarHandshake))]
internal sealed partial class HearthJsonContext : JsonSerializerContext
{
    /// <summary>Like PostgREST, leave quotes and non-ASCII text unescaped in error messages.</summary>
    public static HearthJsonContext Relaxed { get; } = new(new System.Text.Json.JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
