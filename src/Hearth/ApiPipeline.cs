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
    public async Task HandleAsync(HttpContext ctx)
    {
        var model = schema.Current;
        var request = ApiRequestReader.Read(ctx.Request, model.ExposedSchemas);
        var plan = Planner.PlanRead(request, model);
        var statement = ReadSql.Build(plan);
        await executor.ExecuteAsync(statement, options.AnonRole, readOnly: true,
            (reader, ct) => JsonBody.StreamAsync(ctx, reader, ct), ctx.RequestAborted);
    }
}
