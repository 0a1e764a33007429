using System.Text;

namespace Hearth.Sql;

/// <summary>Builds statement text; values only ever enter it as $n parameters.</summary>
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
        var existing = value is string or int ? _parameters.FindIndex(p => p.Slot is null && !p.Untyped && Equals(p.Value, value)) : -1;
        return existing >= 0 ? Raw("$" + (existing + 1)) : Raw(Placeholder(new SqlParam(value)));
    }

    public SqlWriter UntypedParam(string value) => UntypedValue(value, SlotFormat.Text);

    /// <summary>
    /// A request value sent untyped. A slot token (see Request.RequestShape) becomes a parameter filled at
    /// bind time, formatted then; a plain value is formatted now.
    /// </summary>
    public SqlWriter UntypedValue(string value, SlotFormat format)
    {
        if (Request.RequestShape.TryParseToken(value, out var slot))
            return Raw(Placeholder(new SqlParam(null, Untyped: true) { Slot = slot, Format = format }));
        return Raw(Placeholder(new SqlParam(format == SlotFormat.Like ? value.Replace('*', '%') : value, Untyped: true)));
    }

    /// <summary>A typed text parameter that may be a slot (e.g. the request body).</summary>
    public SqlWriter TextValue(string value) =>
        Request.RequestShape.TryParseToken(value, out var slot)
            ? Raw(Placeholder(new SqlParam(null) { Slot = slot }))
            : Param(value);

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
