using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Hearth.AuthServer;

/// <summary>
/// Writes an <see cref="AuthException"/> as GoTrue does. The error shape depends on X-Supabase-Api-Version:
/// a date on or after 2024-01-01 gets {"code":"&lt;error_code&gt;","message":…} (and the version echoed back);
/// no header, an older date or an unparsable one gets the original {"code":&lt;status&gt;,"error_code":…,"msg":…}.
/// </summary>
public static class AuthErrorWriter
{
    public const string VersionHeader = "X-Supabase-Api-Version";
    public const string Version20240101 = "2024-01-01";

    public static bool UsesVersion20240101(HttpRequest request) =>
        request.Headers[VersionHeader].ToString() is { Length: 10 } v
        && DateOnly.TryParseExact(v, "yyyy-MM-dd", out var date)
        && date >= new DateOnly(2024, 1, 1);

    public static async Task WriteAsync(HttpContext ctx, AuthException error)
    {
        var response = ctx.Response;
        response.Clear();
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        var v2024 = UsesVersion20240101(ctx.Request);
        if (v2024) response.Headers[VersionHeader] = Version20240101;
        // GoTrue sends this header with every coded error except a weak password in the 2024 shape.
        if (!error.IsOAuth && !(v2024 && error.WeakPasswordReasons is not null)) response.Headers["x-sb-error-code"] = error.ErrorCode;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (error.IsOAuth)
            {
                w.WriteString("error", error.ErrorCode);
                w.WriteString("error_description", error.Message);
            }
            else if (v2024)
            {
                w.WriteString("code", error.ErrorCode);
                w.WriteString("message", error.Message);
            }
            else
            {
                w.WriteNumber("code", error.Status);
                w.WriteString("error_code", error.ErrorCode);
                w.WriteString("msg", error.Message);
            }
            if (error.WeakPasswordReasons is { } reasons)
            {
                w.WriteStartObject("weak_password");
                w.WriteStartArray("reasons");
                foreach (var r in reasons) w.WriteStringValue(r);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        await response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }
}
