namespace Hearth.Request;

/// <summary>
/// A column reference as written in select, order, filter keys and logic trees: a name plus an optional
/// JSON path (<c>meta->a->>b</c>). The name is unquoted already (<c>"my col"</c> becomes <c>my col</c>).
/// </summary>
public sealed record Field(string Name, IReadOnlyList<JsonPathStep> JsonPath)
{
    public Field(string name) : this(name, ValueList<JsonPathStep>.Empty) { }

    /// <summary>
    /// The key PostgREST gives a JSON-path select that has no alias: the last object key of the path;
    /// when the path ends in an array index, the last object key before it, else the column name.
    /// </summary>
    public string JsonOutputName
    {
        get
        {
            for (var i = JsonPath.Count - 1; i >= 0; i--)
            {
                if (!JsonPath[i].IsIndex) return JsonPath[i].Key;
            }
            return Name;
        }
    }

    public override string ToString() => Name + string.Concat(JsonPath);
}

/// <summary>
/// One JSON operator: <c>-&gt;key</c>, or <c>-&gt;&gt;key</c> when <paramref name="AsText"/>.
/// When <paramref name="IsIndex"/> the key is a (possibly negative) integer literal such as <c>0</c> or
/// <c>-1</c>, to be sent as an int so it indexes arrays; otherwise it is an object key, even if it looks
/// numeric (a quoted <c>-&gt;"0"</c> is a key).
/// </summary>
public sealed record JsonPathStep(string Key, bool AsText, bool IsIndex = false)
{
    public override string ToString() => (AsText ? "->>" : "->") + Key;
}
