using System.Collections;

namespace Hearth.Request;

/// <summary>
/// An immutable list with structural equality. The AST records expose <see cref="IReadOnlyList{T}"/>;
/// backing them with this type makes record equality (and hashing) compare contents, so two parses of
/// the same query string are equal and tests can compare whole trees.
/// </summary>
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    public static readonly ValueList<T> Empty = new([]);

    private readonly T[] _items;
    private int _hash; // 0 until computed: the items never change (the parser's memo shares lists between requests)

    private ValueList(T[] items) => _items = items;

    public static ValueList<T> From(IEnumerable<T> items)
    {
        var array = items.ToArray();
        return array.Length == 0 ? Empty : new ValueList<T>(array);
    }

    /// <summary>Takes <paramref name="items"/> as it is, no copy: for arrays built for this list and never touched again.</summary>
    public static ValueList<T> From(T[] items) => items.Length == 0 ? Empty : new ValueList<T>(items);

    public static ValueList<T> Of(params T[] items) => From((IEnumerable<T>)items);

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ValueList<T>? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        if (other._items.Length != _items.Length) return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i])) return false;
        }
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        if (_hash != 0) return _hash;
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return _hash = hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}
