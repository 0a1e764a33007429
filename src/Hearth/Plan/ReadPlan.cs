using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>A read resolved against the schema cache: which relation, known to exist.</summary>
public sealed record ReadPlan(Relation Relation);
