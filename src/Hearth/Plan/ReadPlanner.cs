using Hearth.Errors;
using Hearth.Request;
using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>
/// Resolves a parsed read (select tree, filters, logic trees, order, ranges) against the schema cache
/// into a <see cref="ReadPlan"/> tree. Pure: no database access. Names that do not resolve are errors
/// here, so the SQL stage only ever sees identifiers taken from the cache.
/// </summary>
public static class ReadPlanner
{
    /// <summary>
    /// MaxRows (--db-max-rows) caps every level of a read, like a limit the client cannot lift.
    /// ResponseSettings: whether statements read response.headers/status (false when nothing can set them).
    /// </summary>
    public sealed record Options(bool AggregatesEnabled, long? MaxRows = null, bool ResponseSettings = true);

    public static ReadPlan Plan(SchemaModel model, Relation root, QueryParams query, RowRange range, Options options)
    {
        var aliases = 0;
        var tree = Build(model, root, query.Select, options, ref aliases, depth: 0);

        foreach (var f in query.Filters)
        {
            var level = tree.Find(f.EmbedPath);
            level.Conditions.Add(level.Compare(f.Field, f.Filter));
        }
        foreach (var l in query.LogicTrees)
        {
            var level = tree.Find(l.EmbedPath);
            level.Conditions.Add(level.Logic(l.Tree));
        }
        foreach (var o in query.Orders)
        {
            var level = tree.Find(o.EmbedPath);
            level.Order.Clear(); // the last order= for a level wins
            foreach (var term in o.Terms) level.Order.Add(level.OrderItem(term));
        }
        foreach (var r in query.Ranges.Where(r => r.EmbedPath.Count > 0))
        {
            var level = tree.Find(r.EmbedPath);
            level.Range = RowRange.All.Restrict(r.Limit, r.Offset);
        }
        var rootRange = query.Ranges.LastOrDefault(r => r.EmbedPath.Count == 0) is { } rr ? range.Restrict(rr.Limit, rr.Offset) : range;
        tree.Range = rootRange;
        return tree.Freeze(options.MaxRows) with { ResponseSettings = options.ResponseSettings };
    }

    /// <param name="sqlName">The name PostgREST's SQL gives this level (root: the table; embedded: table_depth), used in error texts.</param>
    private static Level Build(SchemaModel model, Relation relation, IReadOnlyList<SelectItem> select, Options options, ref int aliases,
        int depth, string? sqlName = null)
    {
        var isRoot = depth == 0;
        var level = new Level(model, relation, "t" + aliases++, sqlName ?? relation.Name);
        var embedAliases = new HashSet<string>(StringComparer.Ordinal);
        // No select means * at the root; an embedded rel() selects nothing and only filters its parent.
        if (select.Count == 0 && isRoot) level.Items.Add(new StarItem());
        foreach (var item in select)
        {
            switch (item)
            {
                case StarSelect:
                    level.Items.Add(new StarItem());
                    break;
                case FieldSelect f when level.IsBareCount(f):
                    // A bare "count" (no such column): count(*) of the level, allowed without --db-aggregates-enabled
                    // (PostgREST sends t.count, which PostgreSQL reads as count(t)).
                    level.Items.Add(new ColumnItem(null, f.OutputName, null, AggregateFunction.Count, ResolveCast(model, relation, f.Cast)));
                    level.HasBareCount = true;
                    break;
                case FieldSelect f:
                    if (f.Aggregate is not null && !options.AggregatesEnabled) throw ApiErrors.AggregatesDisabled();
                    level.HasAggregate |= f.Aggregate is not null;
                    level.Items.Add(new ColumnItem(f.IsCountStar ? null : level.Column(f.Field), f.OutputName,
                        ResolveCast(model, relation, f.Cast), f.Aggregate, ResolveCast(model, relation, f.AggregateCast)));
                    break;
                case EmbedSelect e:
                    var relationship = RelationshipFinder.Find(model, relation, e.Relation, e.Hint);
                    // PostgREST names each embed's subquery parent_name_depth; two of one name are PostgreSQL's 42712.
                    var embedAlias = $"{relation.Name}_{(e.IsSpread ? e.Relation : e.OutputName)}_{depth + 1}";
                    if (!embedAliases.Add(embedAlias)) throw ApiErrors.DuplicateTableName(embedAlias);
                    var child = Build(model, relationship.Child, e.Children, options, ref aliases, depth + 1,
                        relationship.Junction is null ? $"{relationship.Child.Name}_{depth + 1}" : relationship.Child.Name);
                    level.Children[e.OutputName] = child;
                    var embed = new EmbedItem(null!, relationship, e.OutputName, e.JoinType == JoinType.Inner, e.IsSpread);
                    level.Items.Add(embed);
                    level.EmbedLevels[embed] = child;
                    level.EmbedSqlNames[embed] = embedAlias;
                    break;
            }
        }
        if (OutputColumns(level) > MaxTargetEntries) throw ApiErrors.TooManyColumns(MaxTargetEntries);
        return level;
    }

    /// <summary>PostgreSQL's limit on a select list (MaxTargetListEntries); more is the request's doing, so a 400.</summary>
    private const int MaxTargetEntries = 1664;

    private static int OutputColumns(Level level) => level.Items.Sum(item => item switch
    {
        StarItem => level.RelationColumns,
        EmbedItem { Spread: true } e => OutputColumns(level.EmbedLevels[e]),
        _ => 1,
    });

    /// <summary>
    /// A cast names a type the database has (resolved as on the request's search_path); the SQL stage
    /// writes the resolved name, never the request's text.
    /// </summary>
    private static DbType? ResolveCast(SchemaModel model, Relation relation, string? cast) =>
        cast is null ? null : model.Types.Resolve(cast, relation.Schema) ?? throw ApiErrors.UnknownType(cast);

    /// <summary>A mutable level while planning; frozen into an immutable ReadPlan at the end.</summary>
    private sealed class Level(SchemaModel model, Relation relation, string alias, string sqlName)
    {
        public List<PlannedItem> Items { get; } = [];
        public int RelationColumns => relation.Columns.Count;
        public List<Condition> Conditions { get; } = [];
        public List<OrderItem> Order { get; } = [];
        public RowRange Range { get; set; } = RowRange.All;
        public Dictionary<string, Level> Children { get; } = new(StringComparer.Ordinal);
        public Dictionary<EmbedItem, Level> EmbedLevels { get; } = new(ReferenceEqualityComparer.Instance);
        public Dictionary<EmbedItem, string> EmbedSqlNames { get; } = new(ReferenceEqualityComparer.Instance);
        public bool HasBareCount { get; set; }
        public bool HasAggregate { get; set; }

        /// <summary>
        /// A bare <c>count</c> is PostgreSQL's count(t), not one of PostgREST's aggregates, so it adds no GROUP BY:
        /// next to anything else of its level PostgreSQL answers 42803 for the first other column PostgREST's SQL
        /// lists (columns, then embeds, then order terms), which is what PostgREST passes on.
        /// </summary>
        private void CheckBareCount()
        {
            if (!HasBareCount || HasAggregate) return;
            if (FirstUngrouped() is { } column) throw ApiErrors.UngroupedColumn(column);
        }

        private string? FirstUngrouped()
        {
            string Of(string name, ColumnExpr e) => $"{name}.{(e.Column.ComputedBy is null ? e.Column.Name : "*")}";
            foreach (var item in Items)
                switch (item)
                {
                    case StarItem when relation.Columns.Count > 0: return $"{sqlName}.{relation.Columns[0].Name}";
                    case ColumnItem { Aggregate: null, Expr: { } e }: return Of(sqlName, e);
                }
            foreach (var embed in Items.OfType<EmbedItem>())
            {
                var name = EmbedSqlNames[embed];
                var child = EmbedLevels[embed];
                if (child.Items.Count == 0) continue; // rel() selects nothing
                if (embed.Spread) return child.Items[0] is ColumnItem c ? $"{name}.{c.OutputName}" : $"{name}.*";
                return embed.ToOne ? $"{name}.*" : $"{name}.{name}";
            }
            return Order.Select(o => o.Related is { } r ? Of(EmbedSqlNames[r], o.Expr) : Of(sqlName, o.Expr)).FirstOrDefault();
        }

        public Level Find(IReadOnlyList<string> path)
        {
            var level = this;
            foreach (var name in path)
                level = level.Children.GetValueOrDefault(name) ?? throw ApiErrors.NotEmbedded(name);
            return level;
        }

        public EmbedItem? Embed(string name) => Items.OfType<EmbedItem>().FirstOrDefault(e => e.OutputName == name);

        /// <summary>A column of the relation, or a computed field of it (a function of its row).</summary>
        public ColumnExpr Column(Field field) =>
            new(relation.FindColumn(field.Name) ?? model.FindComputedField(relation, field.Name) ?? throw ApiErrors.UnknownColumn(sqlName, field.Name),
                field.JsonPath);

        /// <summary><c>count</c> as a plain field where the relation has no column or computed field of that name.</summary>
        public bool IsBareCount(FieldSelect f) =>
            f is { Aggregate: null, Field: { Name: "count", JsonPath.Count: 0 } } &&
            relation.FindColumn("count") is null && model.FindComputedField(relation, "count") is null;

        public Condition Logic(LogicTree tree) => new LogicCondition(tree.IsOr, tree.Negated, tree.Children.Select(child => child switch
        {
            LogicTree nested => Logic(nested),
            FilterLeaf leaf => Compare(leaf.Field, leaf.Filter),
            _ => throw new InvalidOperationException("unknown logic node"),
        }).ToList());

        /// <summary>A filter; rel=is.null / rel=not.is.null on an embedded resource tests whether it matched.</summary>
        public Condition Compare(Field field, Filter filter) =>
            field.JsonPath.Count == 0 && Embed(field.Name) is { } embed &&
            filter is { Operator: FilterOperator.Is, Value: IsValue { Keyword: IsKeyword.Null or IsKeyword.NotNull } isValue }
                ? new EmbedPresentCondition(embed, (isValue.Keyword == IsKeyword.NotNull) != filter.Negated)
                : new CompareCondition(Column(field), filter);

        public OrderItem OrderItem(OrderTerm term)
        {
            if (term.Relation is null) return new OrderItem(Column(term.Field), null, term.Descending, term.NullsFirst);
            var embed = Embed(term.Relation) ?? throw ApiErrors.NotEmbedded(term.Relation);
            if (!embed.ToOne) throw ApiErrors.RelatedOrderNotToOne(relation.Name, term.Relation);
            var target = EmbedLevels[embed].Column(term.Field);
            return new OrderItem(target, embed, term.Descending, term.NullsFirst);
        }

        public ReadPlan Freeze(long? maxRows)
        {
            CheckBareCount();
            // Embeds reference their frozen child plans; conditions and order items that point at an embed
            // are rewritten to the frozen EmbedItem so the SQL stage can match them by reference.
            var frozen = new Dictionary<EmbedItem, EmbedItem>(ReferenceEqualityComparer.Instance);
            var items = Items.Select(item => item is EmbedItem e
                ? frozen[e] = e with { Child = EmbedLevels[e].Freeze(e.ToOne ? null : maxRows) }
                : item).ToList();
            Condition Rewrite(Condition c) => c switch
            {
                EmbedPresentCondition p => p with { Embed = frozen[p.Embed] },
                LogicCondition l => l with { Children = l.Children.Select(Rewrite).ToList() },
                _ => c,
            };
            var conditions = Conditions.Select(Rewrite).ToList();
            var order = Order.Select(o => o.Related is { } r ? o with { Related = frozen[r] } : o).ToList();
            var range = maxRows is { } max ? Range.Restrict(max, null) : Range;
            return new ReadPlan(relation, alias, items, conditions, order, range.Limit, range.Offset == 0 ? null : range.Offset);
        }
    }
}
