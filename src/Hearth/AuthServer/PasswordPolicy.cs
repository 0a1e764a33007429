using System.Text;

namespace Hearth.AuthServer;

/// <summary>GoTrue's password strength check: minimum length and required character sets (weak_password 422).</summary>
public sealed class PasswordPolicy(AuthServerOptions options)
{
    /// <summary>bcrypt reads at most 72 bytes; GoTrue refuses longer passwords rather than truncating them.</summary>
    public const int MaxLength = 72;

    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Symbols = "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~";

    private readonly string[] _required = options.PasswordRequirements switch
    {
        "letters_digits" => [Lower + Upper, Digits],
        "lower_upper_letters_digits" => [Lower, Upper, Digits],
        "lower_upper_letters_digits_symbols" => [Lower, Upper, Digits, Symbols],
        _ => [],
    };

    public void Check(string password)
    {
        if (Encoding.UTF8.GetByteCount(password) > MaxLength)
            throw AuthErrors.Validation($"Password cannot be longer than {MaxLength} characters");
        var reasons = new List<string>();
        var messages = new List<string>();
        if (password.Length < options.MinimumPasswordLength)
        {
            reasons.Add("length");
            messages.Add($"Password should be at least {options.MinimumPasswordLength} characters.");
        }
        if (_required.Any(set => password.IndexOfAny(set.ToCharArray()) < 0))
        {
            reasons.Add("characters");
            messages.Add($"Password should contain at least one character of each: {string.Join(", ", _required)}.");
        }
        if (reasons.Count > 0) throw AuthErrors.WeakPassword(string.Join(" ", messages), reasons);
    }
}
