using System.Text;

namespace Hearth.Sql;

/// <summary>
/// Builds statement text; request values only ever enter it as $n parameters. The one exception is
/// <see cref="RowCount"/>: a limit, which is an integer Hearth parsed, not request text.
/// </summary>
public sealed class SqlWriter
{
    private readonly StringBuilder _text = new();
    private readonly List<SqlParam> _parameters = [];

    public SqlWriter Raw(string sql) { _text.Append(sql); return this; }

    public SqlWriter Ident(string name) { _text.Append(SqlText.Ident(name)); return this; }

    /// <summary>A resolved type: a keyword from the type catalogue's fixed table, or a quoted schema.name from pg_type.</summary>
    public SqlWriter Type(Schema.DbType type) { _text.Append(type.IsKeyword ? type.Name : SqlText.Qualified(type.Schema!, type.Name)); return this; }

    public SqlWriter Column(string alias, string column) { _text.Append(SqlText.Ident(alias)).Append('.').Append(SqlText.Ident(column)); return this; }

    /// <summary>
    /// A typed parameter. Equal values share one placeholder, so equal expressions stay equal to
    /// PostgreSQL (meta->>$1 in select, group by and order by).
    /// </summary>
    public SqlWriter Param(object? value)
    {
        var existing = value is string or int ? _parameters.FindIndex(p => p.Source == ParamSource.Constant && !p.Untyped && Equals(p.Value, value)) : -1;
        return existing >= 0 ? Raw("$" + (existing + 1)) : Raw(Placeholder(new SqlParam(value)));
    }

    /// <summary>
    /// A limit, written as a number. PostgreSQL plans a generic <c>limit $1</c> for 10% of the table, so it
    /// never chose the cached plan and planned every execution again (a 20-row list cost it ~45% more,
    /// README "Speed and memory"); with the number in the text the statement is planned once per connection.
    /// Offsets stay parameters: a client paging through offsets would otherwise give every backend a new
    /// prepared statement per page (bench/soak.py saw PostgreSQL grow by ~9 MiB a minute).
    /// </summary>
    public SqlWriter RowCount(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _text.Append(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>A value sent untyped, already formatted for SQL (a filter operand of a query that was not extracted).</summary>
    public SqlWriter UntypedParam(string value) => Raw(Placeholder(new SqlParam(value, Untyped: true)));

    /// <summary>The request's operand <paramref name="index"/> (Request.ParamValue), bound per request.</summary>
    public SqlWriter RequestValue(int index) => Raw(Placeholder(new SqlParam(null, Untyped: true) { Source = ParamSource.RequestValue, Index = index }));

    /// <summary>The request's payload (JSON text), bound per request.</summary>
    public SqlWriter Payload() => Raw(Placeholder(new SqlParam(null) { Source = ParamSource.Payload }));

    public SqlWriter Join<T>(IEnumerable<T> items, string separator, Action<T> write)
    {
        var first = true;
        foreach (var item in items)
        {
            if (!first) _text.Append(separator);
            first = false;
            write(item);
        }
        return this;
    }

    private string Placeholder(SqlParam p)
    {
        _parameters.Add(p);
        return "$" + _parameters.Count;
    }

    public SqlStatement ToStatement() => new(_text.ToString(), _parameters.ToList());
}
