using Hearth.Errors;
using Hearth.Request;

using Hearth.Schema;

namespace Hearth.Plan;

/// <summary>Resolves an <see cref="ApiRequest"/> against the schema cache. Pure: no database access.</summary>
public static class Planner
{
    public static ReadPlan PlanRead(ApiRequest request, SchemaModel schema, ReadPlanner.Options options)
    {
        var relation = schema.FindRelation(request.Schema, request.Resource)
            ?? throw ApiErrors.TableNotFound(schema, request.Schema, request.Resource);
        return ReadPlanner.Plan(schema, relation, request.Query, request.Range, options);
    }
}
