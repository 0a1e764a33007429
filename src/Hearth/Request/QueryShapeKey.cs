namespace Hearth.Request;

/// <summary>
/// Writes <see cref="QueryParams.ShapeKey"/>: the texts a query's shape is parsed from, with each filter's operand
/// left out and its operator written from the parse. Everything in the shape is a function of what is written
/// (select, columns and on_conflict are parsed from their texts alone, orders and ranges from their pairs in order,
/// a filter's path from its key, and the rest of its shape is the parsed operator: negation, operator, quantifier,
/// whether it has an fts language, and the kind of operand or the <c>is</c> keyword), so equal keys mean equal
/// shapes. The converse need not hold (<c>limit=5</c> and <c>limit= 5</c> are two keys for one shape; that costs a
/// cache entry, not a wrong answer). Parts are separated by NUL, which no decoded query text can hold (the parser
/// refuses it), and each starts with a tag saying how many texts follow, so no two part lists write the same key.
/// </summary>
internal ref struct QueryShapeKey
{
    [ThreadStatic] private static char[]? t_buffer;

    private readonly char[] _buffer;
    private int _length;

    private QueryShapeKey(char[] buffer) => _buffer = buffer;

    /// <summary>
    /// A writer on this thread's reused buffer, with room for <paramref name="capacity"/> characters (the key is
    /// built on every request: the final string is all it allocates). Decoding never lengthens a text, so the
    /// raw query's length plus a few characters per part is enough.
    /// </summary>
    public static QueryShapeKey Start(int capacity)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < capacity) t_buffer = buffer = new char[Math.Max(capacity, 256)];
        return new QueryShapeKey(buffer);
    }

    /// <summary>select, columns or on_conflict: its text, or absent (a different tag).</summary>
    public void Text(char tag, char absentTag, string? text)
    {
        if (text is null) Tag(absentTag);
        else
        {
            Tag(tag);
            Append(text);
        }
    }

    /// <summary>An order, limit or offset pair, key and value as sent (after decoding).</summary>
    public void Pair(char tag, string key, string value)
    {
        Tag(tag);
        Append(key);
        _buffer[_length++] = '\0';
        Append(value);
    }

    /// <summary>A filter: its key as sent, then its operator as parsed, in six fixed characters; the operand is left out.</summary>
    public void Filter(string key, Filter filter)
    {
        Tag('f');
        Append(key);
        var b = _buffer;
        b[_length++] = '\0';
        b[_length++] = filter.Negated ? 'n' : '-';
        b[_length++] = (char)('A' + (int)filter.Operator);
        b[_length++] = filter.Quantifier switch { Quantifier.Any => 'a', Quantifier.All => 'l', _ => '-' };
        b[_length++] = filter.Language is null ? '-' : 'g';
        switch (filter.Value)
        {
            case SingleValue: b[_length++] = 's'; b[_length++] = '-'; break;
            case ListValue: b[_length++] = 'l'; b[_length++] = '-'; break;
            case IsValue isValue: b[_length++] = 'i'; b[_length++] = (char)('0' + (int)isValue.Keyword); break;
            default: throw new InvalidOperationException($"A parsed filter has no {filter.Value.GetType().Name} operand.");
        }
    }

    /// <summary>Characters each part adds besides its texts (separators, tag, the filter's operator).</summary>
    public const int PerPart = 9;

    public override string ToString() => new(_buffer, 0, _length);

    private void Tag(char tag)
    {
        _buffer[_length++] = '\0';
        _buffer[_length++] = tag;
    }

    private void Append(string text)
    {
        text.CopyTo(_buffer.AsSpan(_length));
        _length += text.Length;
    }
}
