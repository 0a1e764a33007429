namespace Hearth.Sql;

/// <summary>
/// A parameter value. Untyped values go to PostgreSQL as text of unknown type, so the server infers their
/// type from context (int column = '5'), exactly as PostgREST's literals do — but still as parameters.
/// </summary>
public sealed record SqlParam(object? Value, bool Untyped = false)
{
    /// <summary>When set, the value is taken from the request's values at bind time (a cached statement).</summary>
    public int? Slot { get; init; }

    public SlotFormat Format { get; init; }
}

/// <summary>How a request value becomes a parameter: as is, as a like pattern (* → %), or as an array literal.</summary>
public enum SlotFormat { Text, Like, Array }

/// <summary>One parameterized statement: text with $1..$n placeholders and their values.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlParam> Parameters)
{
    public bool HasSlots => Parameters.Any(p => p.Slot is not null);

    /// <summary>The statement with every slot filled from <paramref name="values"/>; the text is unchanged.</summary>
    public SqlStatement Bind(IReadOnlyList<object> values) => !HasSlots ? this : this with
    {
        Parameters = Parameters.Select(p => p.Slot is not { } i ? p : p with
        {
            Slot = null,
            Value = p.Format switch
            {
                SlotFormat.Like => ((string)values[i]).Replace('*', '%'),
                SlotFormat.Array => values[i] is IReadOnlyList<string> { Count: 1 } l && l[0].Length == 0
                    ? "{}" : ConditionSql.ArrayLiteral((IReadOnlyList<string>)values[i]),
                _ => values[i],
            },
        }).ToList(),
    };
}
