using Hearth.Data;
using Hearth.Plan;
using Hearth.Request;
using Hearth.Response;
using Hearth.Schema;
using Hearth.Sql;
using Microsoft.AspNetCore.Http;

namespace Hearth;

/// <summary>
/// One request, one pipeline: Request (parse) → Plan (schema cache) → Sql (one statement) → Data
/// (transaction, role) → Response (stream). Failures surface as exceptions for ErrorHandlingMiddleware.
/// </summary>
public sealed class ApiPipeline(SchemaCache schema, ApiExecutor executor, HearthOptions options)
{
    private readonly ReadPlanner.Options _planOptions = new(options.DbAggregatesEnabled);

    public async Task HandleAsync(HttpContext ctx)
    {
        var model = schema.Current;
        var request = ApiRequestReader.Read(ctx.Request, model.ExposedSchemas, options.DbPlanEnabled);
        if (!request.IsHead && !HttpMethods.IsGet(request.Method))
            throw new ApiException(new ApiError("PGRST117", null, null, $"Unsupported HTTP method: {request.Method}") { Status = 405 });

        var plan = Planner.PlanRead(request, model, _planOptions);
        if (request.Accept == MediaType.Plan)
        {
            await executor.ExecuteAsync([ReadSql.Explain(plan)], options.AnonRole, readOnly: true,
                (reader, ct) => ReadResponse.WritePlanAsync(ctx, reader, ct), ctx.RequestAborted);
            return;
        }
        var count = request.Prefer.Count;
        var planned = count == CountPreference.Planned;
        var exact = count is CountPreference.Exact or CountPreference.Estimated;
        var main = ReadSql.Build(plan, request.Accept, exact);
        var statements = planned ? [ReadSql.PlannedCount(plan), main] : new[] { main };
        await executor.ExecuteAsync(statements, options.AnonRole, readOnly: true,
            (reader, ct) => ReadResponse.WriteAsync(ctx, request, plan.Offset ?? 0, planned, reader, ct), ctx.RequestAborted);
    }
}
