namespace Hearth.TypeGen;

/// <summary>
/// The order Supabase's generator sorts names in (JavaScript's localeCompare): punctuation before digits
/// before letters, letters case-insensitively; ordinal as the tie-breaker. Written out because Hearth runs
/// with invariant globalization, where culture comparison is ordinal.
/// </summary>
public sealed class NameOrder : IComparer<string>
{
    public static readonly NameOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        x ??= ""; y ??= "";
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = Rank(x[i]).CompareTo(Rank(y[i]));
            if (c != 0) return c;
        }
        var byLength = x.Length.CompareTo(y.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(y, x); // lower case first, as localeCompare
    }

    private static (int Class, int Value) Rank(char c) =>
        char.IsAsciiLetter(c) ? (2, char.ToLowerInvariant(c)) : char.IsAsciiDigit(c) ? (1, c) : (0, c);
}
