namespace Hearth.Data;

/// <summary>
/// How write transactions end (PostgREST's db-tx-end): commit or roll back, and whether Prefer: tx=… may
/// override that. Parsed once from --db-tx-end's closed list of values.
/// </summary>
public sealed record TxEnd(bool Commit, bool AllowOverride)
{
    public const string DefaultName = "commit";

    public static readonly TxEnd Default = new(Commit: true, AllowOverride: false);

    public static readonly IReadOnlyList<string> Names = ["commit", "commit-allow-override", "rollback", "rollback-allow-override"];

    public static TxEnd Parse(string name) => name switch
    {
        "commit" => Default,
        "commit-allow-override" => new(true, true),
        "rollback" => new(false, false),
        "rollback-allow-override" => new(false, true),
        _ => throw new ArgumentException($"--db-tx-end: '{name}' is not one of {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>Whether this request commits, and the tx=… to echo in Preference-Applied when the override applied.</summary>
    public (bool Commit, string? Applied) For(Request.TxPreference preference) =>
        AllowOverride && preference != Request.TxPreference.None
            ? (preference == Request.TxPreference.Commit, preference == Request.TxPreference.Commit ? "tx=commit" : "tx=rollback")
            : (Commit, null);
}
