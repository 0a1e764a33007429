using Hearth.Request;
using Hearth.Errors;

namespace Hearth.Tests.Request;

/// <summary>Short builders for expected ASTs, and a helper that captures the parse error of a query.</summary>
internal static class Ast
{
    public static ValueList<T> L<T>(params T[] items) => ValueList<T>.Of(items);

    public static ValueList<string> Path(params string[] names) => ValueList<string>.Of(names);

    public static Field F(string name, params JsonPathStep[] path) => new(name, ValueList<JsonPathStep>.Of(path));

    public static JsonPathStep Key(string key) => new(key, AsText: false);

    public static JsonPathStep TextKey(string key) => new(key, AsText: true);

    public static JsonPathStep Index(string index, bool asText = false) => new(index, asText, IsIndex: true);

    public static Filter Op(FilterOperator op, string value, bool negated = false, Quantifier? quantifier = null, string? language = null) =>
        new(negated, op, quantifier, language, new SingleValue(value));

    public static Filter In(params string[] items) => new(false, FilterOperator.In, null, null, new ListValue(ValueList<string>.Of(items)));

    public static Filter Is(IsKeyword keyword, bool negated = false) => new(negated, FilterOperator.Is, null, null, new IsValue(keyword));

    public static FilterLeaf Leaf(string column, Filter filter) => new(F(column), filter);

    public static LogicTree Or(params LogicNode[] children) => new(true, false, ValueList<LogicNode>.Of(children));

    public static LogicTree And(params LogicNode[] children) => new(false, false, ValueList<LogicNode>.Of(children));

    public static FieldSelect Col(string name, string? alias = null, string? cast = null) => new(F(name), alias, cast);

    public static EmbedSelect Embed(string relation, params SelectItem[] children) =>
        new(relation, null, null, null, false, ValueList<SelectItem>.Of(children));

    public static ApiException ParseError(string query, bool isRpcRead = false)
    {
        try
        {
            QueryStringParser.Parse(query, isRpcRead);
        }
        catch (ApiException e)
        {
            return e;
        }
        throw new InvalidOperationException("expected a parse error for: " + query);
    }
}
