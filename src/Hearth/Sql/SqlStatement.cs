namespace Hearth.Sql;

/// <summary>One parameterized statement: text with $1..$n placeholders and their values.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<object?> Parameters);
