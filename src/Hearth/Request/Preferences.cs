using Hearth.Errors;
using Microsoft.Extensions.Primitives;

namespace Hearth.Request;

public enum CountPreference { None, Exact, Planned, Estimated }
public enum ReturnPreference { Unspecified, Minimal, HeadersOnly, Representation }
public enum ResolutionPreference { None, MergeDuplicates, IgnoreDuplicates }
public enum TxPreference { None, Commit, Rollback }

/// <summary>
/// The Prefer header(s), as PostgREST reads them: comma-separated tokens, unknown ones ignored unless
/// handling=strict. <see cref="Applied"/> lists the tokens to echo in Preference-Applied.
/// </summary>
public sealed record Preferences(
    CountPreference Count,
    ReturnPreference Return,
    ResolutionPreference Resolution,
    bool MissingDefault,
    bool Strict,
    bool LenientGiven,
    TxPreference Tx,
    long? MaxAffected,
    bool SingleObjectParams)
{
    public static readonly Preferences None = new(CountPreference.None, ReturnPreference.Unspecified, ResolutionPreference.None,
        false, false, false, TxPreference.None, null, false);

    /// <summary>max-affected=N when it is enforced: only with handling=strict, as in PostgREST.</summary>
    public long? EnforcedMaxAffected => Strict ? MaxAffected : null;

    /// <summary>Preference-Applied, in PostgREST's order; tx only when --db-tx-end let it apply.</summary>
    public IEnumerable<string> Applied(string? tx)
    {
        if (Resolution == ResolutionPreference.MergeDuplicates) yield return "resolution=merge-duplicates";
        if (Resolution == ResolutionPreference.IgnoreDuplicates) yield return "resolution=ignore-duplicates";
        if (MissingDefault) yield return "missing=default";
        if (Return != ReturnPreference.Unspecified)
            yield return Return switch { ReturnPreference.Minimal => "return=minimal", ReturnPreference.HeadersOnly => "return=headers-only", _ => "return=representation" };
        if (SingleObjectParams) yield return "params=single-object";
        if (Count == CountPreference.Exact) yield return "count=exact";
        if (Count == CountPreference.Planned) yield return "count=planned";
        if (Count == CountPreference.Estimated) yield return "count=estimated";
        if (tx is not null) yield return tx;
        if (Strict) yield return "handling=strict";
        else if (LenientGiven) yield return "handling=lenient";
        if (EnforcedMaxAffected is { } max) yield return $"max-affected={max}";
    }

    public static Preferences Parse(StringValues headers)
    {
        if (headers.Count == 0) return None;
        var p = None;
        var invalid = new List<string>();
        foreach (var header in headers)
        {
            foreach (var raw in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var token = raw.Replace(" ", "");
                switch (token)
                {
                    case "count=exact": p = p with { Count = CountPreference.Exact }; break;
                    case "count=planned": p = p with { Count = CountPreference.Planned }; break;
                    case "count=estimated": p = p with { Count = CountPreference.Estimated }; break;
                    case "return=minimal": p = p with { Return = ReturnPreference.Minimal }; break;
                    case "return=headers-only": p = p with { Return = ReturnPreference.HeadersOnly }; break;
                    case "return=representation": p = p with { Return = ReturnPreference.Representation }; break;
                    case "resolution=merge-duplicates": p = p with { Resolution = ResolutionPreference.MergeDuplicates }; break;
                    case "resolution=ignore-duplicates": p = p with { Resolution = ResolutionPreference.IgnoreDuplicates }; break;
                    case "missing=default": p = p with { MissingDefault = true }; break;
                    case "missing=null": break;
                    case "handling=strict": p = p with { Strict = true }; break;
                    case "handling=lenient": p = p with { LenientGiven = true }; break;
                    case "tx=commit": p = p with { Tx = TxPreference.Commit }; break;
                    case "tx=rollback": p = p with { Tx = TxPreference.Rollback }; break;
                    case "params=single-object": p = p with { SingleObjectParams = true }; break;
                    default:
                        if (token.StartsWith("max-affected=", StringComparison.Ordinal) && long.TryParse(token.AsSpan(13), out var n))
                            p = p with { MaxAffected = n };
                        else if (!token.StartsWith("timezone=", StringComparison.Ordinal))
                            invalid.Add(token);
                        break;
                }
            }
        }
        if (p.Strict && invalid.Count > 0)
            throw ApiErrors.InvalidPreferences(invalid);
        return p;
    }
}
