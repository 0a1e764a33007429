using System.Globalization;

namespace Hearth.Realtime;

/// <summary>
/// Where a row change sits in the replication stream: the end LSN of its transaction's commit record and its
/// index within the transaction. Change streams send it as the SSE <c>id</c> — 16 hex digits, a dash, 8 hex
/// digits, so ids order as text the way they order as positions — and take it back as <c>Last-Event-ID</c>.
/// </summary>
public readonly record struct ChangePosition(ulong Lsn, uint Index) : IComparable<ChangePosition>
{
    public int CompareTo(ChangePosition other) => Lsn != other.Lsn ? Lsn.CompareTo(other.Lsn) : Index.CompareTo(other.Index);

    public static bool operator <(ChangePosition a, ChangePosition b) => a.CompareTo(b) < 0;
    public static bool operator >(ChangePosition a, ChangePosition b) => a.CompareTo(b) > 0;
    public static bool operator <=(ChangePosition a, ChangePosition b) => a.CompareTo(b) <= 0;
    public static bool operator >=(ChangePosition a, ChangePosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => Lsn.ToString("X16", CultureInfo.InvariantCulture) + "-" + Index.ToString("X8", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out ChangePosition position)
    {
        position = default;
        if (text is not { Length: 25 } || text[16] != '-') return false;
        if (!ulong.TryParse(text.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var lsn) ||
            !uint.TryParse(text.AsSpan(17), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var index)) return false;
        position = new ChangePosition(lsn, index);
        return true;
    }
}
