namespace Hearth.Sql;

/// <summary>
/// A parameter value. Untyped values go to PostgreSQL as text of unknown type, so the server infers their
/// type from context (int column = '5'), exactly as PostgREST's literals do — but still as parameters.
/// </summary>
public sealed record SqlParam(object? Value, bool Untyped = false);

/// <summary>One parameterized statement: text with $1..$n placeholders and their values.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlParam> Parameters);
