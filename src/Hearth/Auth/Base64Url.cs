namespace Hearth.Auth;

/// <summary>The unpadded URL-safe base64 of JWS (RFC 7515 §2).</summary>
public static class Base64Url
{
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length % 4 == 1) return false;
        var chars = new char[text.Length + (4 - text.Length % 4) % 4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '+' or '/' or '=') return false; // not the URL-safe alphabet
            chars[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }
        for (var i = text.Length; i < chars.Length; i++) chars[i] = '=';
        try
        {
            bytes = Convert.FromBase64CharArray(chars, 0, chars.Length);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static byte[] Decode(string text) =>
        TryDecode(text, out var bytes) ? bytes : throw new FormatException("Not base64url: a JWK member must be unpadded URL-safe base64.");

    public static string Encode(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
