using System.Net.Mail;

namespace Hearth.AuthServer;

/// <summary>GoTrue's email validation: required, at most 255 characters, a well-formed address; stored lower-case.</summary>
public static class EmailAddress
{
    public static string Normalize(string? email)
    {
        if (string.IsNullOrEmpty(email)) throw AuthErrors.Validation("An email address is required");
        if (email.Length > 255) throw AuthErrors.Validation("An email address is too long");
        // GoTrue answers a malformed address with validation_failed; its email_address_invalid comes from the
        // mail-sending path (deliverability checks), which Hearth does not have.
        if (!IsWellFormed(email)) throw AuthErrors.Validation("Unable to validate email address: invalid format");
        return email.ToLowerInvariant();
    }

    /// <summary>local@domain.tld with no spaces, no display name, a dot in the domain.</summary>
    private static bool IsWellFormed(string email)
    {
        if (email.Any(char.IsWhiteSpace) || email.Count(c => c == '@') != 1) return false;
        var at = email.IndexOf('@');
        if (at == 0 || at == email.Length - 1) return false;
        var domain = email[(at + 1)..];
        if (!domain.Contains('.') || domain.StartsWith('.') || domain.EndsWith('.') || domain.Contains("..")) return false;
        return MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
    }
}
