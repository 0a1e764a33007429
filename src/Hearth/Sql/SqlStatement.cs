namespace Hearth.Sql;

/// <summary>
/// A parameter. Untyped values go to PostgreSQL as text of unknown type, so the server infers their type
/// from context (int column = '5'), exactly as PostgREST's literals do — but still as parameters.
/// A parameter with <see cref="Source"/> other than <see cref="ParamSource.Constant"/> is open: its value
/// is the request's, filled in by <see cref="SqlStatement.Bind"/>, so one statement serves every request
/// of a shape.
/// </summary>
public sealed record SqlParam(object? Value, bool Untyped = false)
{
    public ParamSource Source { get; init; }

    /// <summary>For <see cref="ParamSource.RequestValue"/>: the index in <see cref="RequestValues.Operands"/>.</summary>
    public int Index { get; init; }

    /// <summary>What is sent for this parameter in a request with <paramref name="values"/>, and whether untyped.</summary>
    public (object? Value, bool Untyped) For(RequestValues values) => Source switch
    {
        ParamSource.RequestValue => (values.Operands[Index], true),
        ParamSource.Payload => (values.Payload ?? "{}", false),
        _ => (Value, Untyped),
    };
}

public enum ParamSource
{
    /// <summary>Fixed by the plan (a JSON path key, a limit): part of the statement.</summary>
    Constant,
    /// <summary>A filter operand of the request (Request.ParamValue), sent untyped.</summary>
    RequestValue,
    /// <summary>The request body (JSON text), or a function call's arguments as one JSON object.</summary>
    Payload,
}

/// <summary>
/// What a request brings to a statement of its shape: its operands (formatted by Request.ValueExtraction)
/// and its payload — JSON text, or a function's raw body (text, or bytes for bytea).
/// </summary>
public sealed record RequestValues(IReadOnlyList<string> Operands, object? Payload = null)
{
    public static readonly RequestValues None = new([]);
}

/// <summary>One parameterized statement: text with $1..$n placeholders and their parameters.</summary>
public sealed record SqlStatement(string Text, IReadOnlyList<SqlParam> Parameters)
{
    private readonly bool _open = AnyOpen(Parameters);

    private static bool AnyOpen(IReadOnlyList<SqlParam> parameters)
    {
        for (var i = 0; i < parameters.Count; i++)
            if (parameters[i].Source != ParamSource.Constant) return true;
        return false;
    }

    /// <summary>
    /// The statement with every open parameter filled from <paramref name="values"/>; the text is unchanged.
    /// (The executor does not need it: it reads each value with <see cref="SqlParam.For"/> as it sends.)
    /// </summary>
    public SqlStatement Bind(RequestValues values)
    {
        if (!_open) return this;
        var bound = new SqlParam[Parameters.Count];
        for (var i = 0; i < bound.Length; i++)
        {
            var p = Parameters[i];
            if (p.Source == ParamSource.Constant)
            {
                bound[i] = p;
                continue;
            }
            var (value, untyped) = p.For(values);
            bound[i] = new SqlParam(value, untyped);
        }
        return new SqlStatement(Text, bound);
    }
}
