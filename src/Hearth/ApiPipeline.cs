using Hearth.Errors;
using Hearth.Auth;
using Hearth.Data;
using Hearth.Plan;
using Hearth.Request;
using Hearth.Response;
using Hearth.Schema;
using Hearth.Sql;
using Microsoft.AspNetCore.Http;

namespace Hearth;

/// <summary>
/// One request, one pipeline: Auth (token → role) → Request (parse) → Plan (schema cache) → Sql (one
/// statement) → Data (transaction, role, request settings) → Response. Failures surface as exceptions
/// for ErrorHandlingMiddleware.
/// </summary>
public sealed class ApiPipeline(SchemaCache schema, ApiExecutor executor, ShapeCache shapes, Authenticator authenticator, HearthOptions options)
{
    private readonly ReadPlanner.Options _planOptions = new(options.DbAggregatesEnabled, options.DbMaxRows);
    private readonly ReadPlanner.Options _planOptionsNoResponseSettings = new(options.DbAggregatesEnabled, options.DbMaxRows, ResponseSettings: false);

    private readonly string? _preRequestSql = PreRequestSql(options.DbPreRequest);
    private readonly SessionDefaults _session = options.SessionDefaults();

    /// <summary>Statements read response.headers/status back only when some function can set them.</summary>
    private ReadPlanner.Options PlanOptions(SchemaModel model) => model.UsesResponseSettings ? _planOptions : _planOptionsNoResponseSettings;

    public async Task HandleAsync(HttpContext ctx)
    {
        // First, as in PostgREST: a bad token is a 401 whatever the path.
        var principal = authenticator.Authenticate(ctx);
        var model = schema.Current;
        if (HttpMethods.IsOptions(ctx.Request.Method))
        {
            AllowedMethods.Write(ctx, model);
            return;
        }
        var read = await ApiRequestReader.ReadAsync(ctx.Request, model.ExposedSchemas, options.DbPlanEnabled);
        // Values out, shape in: everything below plans the shape; the values are bound as parameters.
        var (shape, operands) = ValueExtraction.Extract(read.Query);
        var request = read with { Query = shape };
        var values = new RequestValues(operands, request.Body?.Json);
        var tx = Settings(ctx, request, principal, model);
        // With several exposed schemas PostgREST names the one used on every response.
        if (model.ExposedSchemas.Count > 1) ctx.Response.Headers["Content-Profile"] = request.Schema;
        switch (request.Kind, request.Method)
        {
            case (TargetKind.Routine, "GET" or "HEAD" or "POST"):
                await CallAsync(ctx, request, operands, model, tx);
                break;
            case (TargetKind.Relation, "GET" or "HEAD") when request.Accept != MediaType.Plan:
            {
                // The common path: plan and SQL come from the shape cache; only the values are bound.
                var planned = shapes.GetOrAdd(ShapeCache.KeyFor(model, request), () =>
                {
                    var plan = Planner.PlanRead(request, model, PlanOptions(model));
                    return new PlannedShape(plan, ReadStatements(plan, request));
                });
                var bound = new SqlStatement[planned.Statements.Count];
                for (var i = 0; i < bound.Length; i++) bound[i] = planned.Statements[i].Bind(values);
                await RunReadAsync(ctx, request, tx, (ReadPlan)planned.Plan, bound);
                break;
            }
            case (TargetKind.Relation, "GET" or "HEAD"):
                await ReadAsync(ctx, request, values, tx, Planner.PlanRead(request, model, PlanOptions(model)));
                break;
            case (TargetKind.Relation, "POST" or "PATCH" or "PUT" or "DELETE"):
                await WriteAsync(ctx, request, values, model, tx);
                break;
            case (TargetKind.Routine, _):
                throw ApiErrors.RpcMethodNotAllowed(request.Method);
            default:
                throw ApiErrors.UnsupportedMethod(request.Method);
        }
    }

    /// <param name="build">The read statement when it is not a plain read (a function's rows): media, exact count, count cap.</param>
    /// <param name="plannedCount">Its EXPLAIN for Prefer: count=planned, likewise.</param>
    private async Task ReadAsync(HttpContext ctx, ApiRequest request, RequestValues values, TransactionSettings tx, ReadPlan plan, Func<MediaType, bool, long?, SqlStatement>? build = null,
        Func<SqlStatement>? plannedCount = null, bool readOnly = true, bool commit = true)
    {
        if (request.Plan is { } spec)
        {
            var explained = build?.Invoke(spec.ForType, false, null) ?? ReadSql.Build(plan, spec.ForType, exactCount: false);
            var text = await executor.ExecuteAsync([ReadSql.Explain(explained, spec).Bind(values)], tx, readOnly, commit,
                (reader, ct) => ReadResponse.ReadPlanAsync(ctx, spec, reader, ct), ctx.RequestAborted);
            await ctx.Response.WriteAsync(text, ctx.RequestAborted);
            return;
        }
        await RunReadAsync(ctx, request, tx, plan, ReadStatements(plan, request, build, plannedCount).Select(s => s.Bind(values)).ToArray(), readOnly, commit);
    }

    /// <summary>
    /// The read statement, preceded by an EXPLAIN for Prefer: count=planned — and for count=estimated
    /// with --db-max-rows, where the exact count stops at max-rows + 1 and the estimate takes over beyond.
    /// </summary>
    private SqlStatement[] ReadStatements(ReadPlan plan, ApiRequest request, Func<MediaType, bool, long?, SqlStatement>? build = null,
        Func<SqlStatement>? plannedCount = null)
    {
        var exact = request.Prefer.Count is CountPreference.Exact or CountPreference.Estimated;
        var cap = EstimateAbove(request) + 1;
        var main = build?.Invoke(request.Accept, exact, cap) ?? ReadSql.Build(plan, request.Accept, exact, countCap: cap);
        return request.Prefer.Count == CountPreference.Planned || cap is not null
            ? [plannedCount?.Invoke() ?? ReadSql.PlannedCount(plan), main]
            : [main];
    }

    private long? EstimateAbove(ApiRequest request) => request.Prefer.Count == CountPreference.Estimated ? options.DbMaxRows : null;

    private Task RunReadAsync(HttpContext ctx, ApiRequest request, TransactionSettings tx, ReadPlan plan, SqlStatement[] statements,
        bool readOnly = true, bool commit = true)
    {
        var planned = request.Prefer.Count == CountPreference.Planned;
        return ReadThenSendAsync(ctx, statements, tx, readOnly, commit,
            (reader, ct) => ReadResponse.ReadAsync(ctx, request, plan.Offset ?? 0, planned, reader, ct, EstimateAbove(request)));
    }

    /// <summary>
    /// Reads the body out of PostgreSQL, lets the connection go back to the pool (and a write commit), and
    /// only then sends it: a client that reads slowly, or not at all, never holds a database connection.
    /// </summary>
    private async Task ReadThenSendAsync(HttpContext ctx, IReadOnlyList<SqlStatement> statements, TransactionSettings tx, bool readOnly, bool commit,
        Func<Npgsql.NpgsqlDataReader, CancellationToken, Task<BufferedBody?>> read)
    {
        await using var body = await executor.ExecuteAsync(statements, tx, readOnly, commit, read, ctx.RequestAborted);
        if (body is not null) await body.SendAsync(ctx.Response, ctx.RequestAborted);
    }

    private async Task WriteAsync(HttpContext ctx, ApiRequest request, RequestValues values, SchemaModel model, TransactionSettings tx)
    {
        var relation = model.FindRelation(request.Schema, request.Resource) ?? throw ApiErrors.TableNotFound(request.Schema, request.Resource);
        var wantBody = request.Prefer.Return == ReturnPreference.Representation;
        var wantLocation = request.Prefer.Return == ReturnPreference.HeadersOnly;
        var planned = shapes.GetOrAdd(ShapeCache.KeyFor(model, request), () =>
        {
            var p = MutatePlanner.Plan(model, relation, request, PlanOptions(model));
            return new PlannedShape(p, [MutateSql.Build(p, request.Accept, wantBody, wantLocation)]);
        });
        var plan = (MutatePlan)planned.Plan;
        if (request.Body is { } body) MutatePlanner.CheckPutPayload(plan, body, values.Operands);
        var statement = planned.Statements[0].Bind(values);
        var (commit, txApplied) = TransactionEnd(request.Prefer);
        var result = await executor.ExecuteAsync([statement], tx, readOnly: false, commit,
            (reader, ct) => WriteResult.ReadAsync(reader, request, plan, wantBody, ct), ctx.RequestAborted);
        await result.SendAsync(ctx, request.Prefer.Applied(txApplied));
    }

    private async Task CallAsync(HttpContext ctx, ApiRequest request, IReadOnlyList<string> operands, SchemaModel model, TransactionSettings tx)
    {
        var plan = RoutinePlanner.Plan(model, request, PlanOptions(model));
        var values = new RequestValues(operands, plan.PayloadJson);
        // GET is always read-only; POST writes only for volatile functions (PostgREST's access modes).
        var readOnly = request.IsRead || plan.Routine.Volatility != Volatility.Volatile;
        var (commit, txApplied) = TransactionEnd(request.Prefer);
        var applied = string.Join(", ", request.Prefer.Applied(txApplied).Where(t => !t.StartsWith("return=", StringComparison.Ordinal)));
        if (applied.Length > 0) ctx.Response.Headers["Preference-Applied"] = applied;
        if (plan.Rows is { } rows)
        {
            // A function returning one composite value answers with an object, a set-returning one with an array.
            await ReadAsync(ctx, request, values, tx, rows, (media, exact, cap) => RoutineSql.BuildRows(rows, plan.Call,
                plan.Routine.ReturnsSet || media != MediaType.Json ? media : MediaType.SingleObject, exact, cap),
                () => RoutineSql.PlannedCount(rows, plan.Call), readOnly, commit);
            return;
        }
        if (plan.Routine.ReturnType == "void")
        {
            var gucs = await executor.ExecuteAsync([RoutineSql.BuildScalar(plan.Call).Bind(values)], tx, readOnly, commit,
                async (reader, ct) => { await reader.ReadAsync(ct); return await ResponseGucs.ReadAsync(reader, 2, ct); }, ctx.RequestAborted);
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
            gucs.ApplyTo(ctx.Response);
            return;
        }
        var scalarRequest = request with { Accept = request.Accept == MediaType.Csv ? MediaType.Json : request.Accept };
        await ReadThenSendAsync(ctx, [RoutineSql.BuildScalar(plan.Call).Bind(values)], tx, readOnly, commit,
            (reader, ct) => ReadResponse.ReadAsync(ctx, scalarRequest, 0, false, reader, ct));
    }

    /// <summary>The transaction's settings: search_path, the role and its own settings, request.* for SQL.</summary>
    private TransactionSettings Settings(HttpContext ctx, ApiRequest request, Principal principal, SchemaModel model)
    {
        // The role reaches set_config only from the closed set of roles the authenticator may become.
        if (model.Roles is { } roles && !roles.CanSwitchTo(principal.Role))
            throw roles.ExistsButForbidden(principal.Role) ? ApiErrors.ForbiddenRole(principal.Role) : ApiErrors.UnknownRole(principal.Role);
        var searchPath = request.Schema == options.Schemas[0] ? _session.SearchPath : options.SearchPath(request.Schema);
        var facts = new RequestFacts(searchPath, principal.Role, principal.ClaimsJson, principal.Authenticated, ctx.Request.Method, ctx.Request.Path.Value ?? "/",
            () => RequestContextJson.Headers(ctx.Request.Headers), () => RequestContextJson.Cookies(ctx.Request));
        return TransactionSettings.For(facts, _session, model.RoleSettings.GetValueOrDefault(principal.Role) ?? [], _preRequestSql, model.UsesRequestContext);
    }

    /// <summary>select "schema"."fn"() for --db-pre-request (split at the first dot; quoted, so any name is safe).</summary>
    private static string? PreRequestSql(string? name) => name switch
    {
        null or "" => null,
        _ when name.IndexOf('.') is var dot and > 0 => $"select {SqlText.Qualified(name[..dot], name[(dot + 1)..])}()",
        _ => $"select {SqlText.Ident(name)}()",
    };

    /// <summary>--db-tx-end with the Prefer: tx=… override where it is allowed.</summary>
    private (bool Commit, string? Applied) TransactionEnd(Preferences prefer)
    {
        var mode = options.DbTxEnd;
        if (mode.EndsWith("-allow-override", StringComparison.Ordinal) && prefer.Tx != TxPreference.None)
            return (prefer.Tx == TxPreference.Commit, prefer.Tx == TxPreference.Commit ? "tx=commit" : "tx=rollback");
        return (!mode.StartsWith("rollback", StringComparison.Ordinal), null);
    }

}
