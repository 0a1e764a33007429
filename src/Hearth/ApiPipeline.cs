using Hearth.Auth;
using Hearth.Data;
using Hearth.Errors;
using Hearth.Plan;
using Hearth.Request;
using Hearth.Response;
using Hearth.Schema;
using Hearth.Sql;
using Microsoft.AspNetCore.Http;

namespace Hearth;

/// <summary>
/// One request, one pipeline: Auth (token → role) → Request (parse, then take the values out) → Plan
/// (schema cache) → Sql (one query, cached per shape, values bound as parameters) → Data (transaction,
/// role, request settings; the result decoded once) → Response (a function of request and result).
/// Failures surface as exceptions for ErrorHandlingMiddleware.
/// </summary>
public sealed class ApiPipeline(SchemaCache schema, ApiExecutor executor, QueryCache queries, Authenticator authenticator, HearthOptions options)
{
    private static readonly TransactionMode ReadOnly = new(ReadOnly: true, Commit: true);

    private readonly ReadPlanner.Options _planOptions = new(options.DbAggregatesEnabled, options.DbMaxRows);
    private readonly ReadPlanner.Options _planOptionsNoResponseSettings = new(options.DbAggregatesEnabled, options.DbMaxRows, ResponseSettings: false);
    private readonly string? _preRequestSql = PreRequestSql.For(options.DbPreRequest);
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
            await AllowedMethods.For(ApiRequestReader.ReadTarget(ctx.Request, model.ExposedSchemas), model).SendAsync(ctx);
            return;
        }
        var request = await ApiRequestReader.ReadAsync(ctx.Request, model.ExposedSchemas, options.DbPlanEnabled);
        // The values come out here and are bound as parameters; plans are made from the request's shape
        // (Shaped), which only a request whose plan is not cached needs.
        var operands = ValueExtraction.Values(request.Query);
        var tx = Settings(ctx, request, principal, model);
        // With several exposed schemas PostgREST names the one used on every response.
        if (model.ExposedSchemas.Count > 1) ctx.Response.Headers["Content-Profile"] = request.Schema;
        var ct = ctx.RequestAborted;
        var response = (request.Kind, request.Method) switch
        {
            (TargetKind.Routine, "GET" or "HEAD" or "POST") => await CallAsync(request, operands, model, tx, ct),
            (TargetKind.Relation, "GET" or "HEAD") => await ReadAsync(request, operands, model, tx, ct),
            (TargetKind.Relation, "POST" or "PATCH" or "PUT" or "DELETE") => await WriteAsync(request, operands, model, tx, ct),
            (TargetKind.Routine, _) => throw ApiErrors.RpcMethodNotAllowed(request.Method),
            _ => throw ApiErrors.UnsupportedMethod(request.Method),
        };
        try
        {
            await response.SendAsync(ctx);
        }
        finally
        {
            if (response.Body is { } body) await body.DisposeAsync();
        }
    }

    private async Task<ApiResponse> ReadAsync(ApiRequest request, IReadOnlyList<string> operands, SchemaModel model, TransactionSettings tx, CancellationToken ct)
    {
        var values = new RequestValues(operands);
        if (request.Plan is { } spec)
        {
            var plan = Planner.PlanRead(Shaped(request), model, PlanOptions(model));
            return await ExplainAsync(ReadSql.Build(plan, spec.ForType, exactCount: false), spec, values, tx, ReadOnly, [], ct);
        }
        // The common path: plan and SQL come from the query cache; only the values are bound.
        // Static lambdas with their state passed in: a cache hit and the response allocate no closures.
        var cached = queries.GetOrAdd(QueryKey.For(model, request), (Pipeline: this, request, model), static s =>
        {
            var plan = Planner.PlanRead(Shaped(s.request), s.model, s.Pipeline.PlanOptions(s.model));
            return new CachedRead(plan, ReadSql.Query(plan, s.request.Accept, s.request.Prefer.Count, s.Pipeline.EstimateAbove(s.request)));
        });
        var result = await executor.ExecuteAsync(cached.Query, values, tx, ReadOnly, readBody: !request.IsHead, check: null, ct);
        return await RespondAsync(result, (request, Offset: cached.Plan.Offset ?? 0, Estimate: EstimateAbove(request)),
            static (s, r) => ReadResponse.For(s.request, r, s.Offset, s.Estimate));
    }

    private async Task<ApiResponse> WriteAsync(ApiRequest request, IReadOnlyList<string> operands, SchemaModel model, TransactionSettings tx, CancellationToken ct)
    {
        var relation = model.FindRelation(request.Schema, request.Resource) ?? throw ApiErrors.TableNotFound(model, request.Schema, request.Resource);
        var wantBody = WriteResponse.WantsBody(request);
        var cached = queries.GetOrAdd(QueryKey.For(model, request), (Pipeline: this, request, model, relation, wantBody), static s =>
        {
            var plan = MutatePlanner.Plan(s.model, s.relation, Shaped(s.request), s.Pipeline.PlanOptions(s.model));
            return new CachedWrite(plan, new ApiQuery(MutateSql.Build(plan, s.request.Accept, s.wantBody, s.request.Prefer.Return == ReturnPreference.HeadersOnly),
                ReadsResponseSettings: plan.Returning.ResponseSettings, IsWrite: true));
        });
        if (request.Body is { } body) MutatePlanner.CheckPutPayload(cached.Plan, body, operands);
        var (commit, txApplied) = options.DbTxEnd.For(request.Prefer.Tx);
        var result = await executor.ExecuteAsync(cached.Query, new RequestValues(operands, request.Body?.Json), tx,
            new TransactionMode(ReadOnly: false, commit), readBody: wantBody, WriteResponse.CheckFor(request), ct);
        return await RespondAsync(result, (request, cached.Plan, txApplied), static (s, r) => WriteResponse.For(s.request, s.Plan, r, s.request.Prefer.Applied(s.txApplied).ToList()));
    }

    private async Task<ApiResponse> CallAsync(ApiRequest request, IReadOnlyList<string> operands, SchemaModel model, TransactionSettings tx, CancellationToken ct)
    {
        // The overload and its SQL come from the query cache, as for reads; an EXPLAIN is planned each time.
        var cached = request.Plan is null
            ? queries.GetOrAdd(QueryKey.For(model, request), (Pipeline: this, request, model), static s => s.Pipeline.PlanCall(s.request, s.model, explain: false))
            : PlanCall(request, model, explain: true);
        var plan = cached.Plan;
        // max-affected counts a function's rows: it needs a set-returning one (PostgREST 13.0.3+).
        if (request.Prefer.EnforcedMaxAffected is not null && !plan.Routine.ReturnsSet) throw ApiErrors.MaxAffectedNeedsSetReturningFunction();
        var values = new RequestValues(operands, RoutinePlanner.Payload(request));
        // GET is always read-only; POST writes only for volatile functions (PostgREST's access modes).
        var (commit, txApplied) = options.DbTxEnd.For(request.Prefer.Tx);
        var mode = new TransactionMode(request.IsRead || plan.Routine.Volatility != Volatility.Volatile, commit);
        var applied = request.Prefer.Applied(txApplied).Where(t => !t.StartsWith("return=", StringComparison.Ordinal)).ToList();
        if (plan.Rows is { } rows)
        {
            if (request.Plan is { } spec)
                return await ExplainAsync(RoutineSql.RowsStatement(rows, plan.Call, Rendered(plan, spec.ForType)), spec, values, tx, mode, applied, ct);
            var rowsResult = await executor.ExecuteAsync(cached.Query!, values, tx, mode, readBody: !request.IsHead, CallResponse.CheckFor(request), ct);
            return await RespondAsync(rowsResult, (request, Offset: rows.Offset ?? 0, Estimate: EstimateAbove(request), applied),
                static (s, r) => ReadResponse.For(s.request, r, s.Offset, s.Estimate, s.applied));
        }
        var isVoid = plan.Routine.ReturnType == "void";
        var result = await executor.ExecuteAsync(cached.Query!, values, tx, mode, readBody: !isVoid && !request.IsHead, CallResponse.CheckFor(request), ct);
        if (isVoid) return await RespondAsync(result, applied, static (a, r) => CallResponse.Void(r, a));
        var scalarRequest = request with { Accept = request.Accept == MediaType.Csv ? MediaType.Json : request.Accept };
        return await RespondAsync(result, (scalarRequest, applied), static (s, r) => ReadResponse.For(s.scalarRequest, r, 0, applied: s.applied));
    }

    /// <summary>The overload for the request's arguments and its statement (none for an EXPLAIN of rows: that statement is made from the spec).</summary>
    private CachedCall PlanCall(ApiRequest request, SchemaModel model, bool explain)
    {
        var plan = RoutinePlanner.Plan(model, Shaped(request), PlanOptions(model));
        var query = plan.Rows is { } rows
            ? explain ? null : RoutineSql.Rows(rows, plan.Call, Rendered(plan, request.Accept), request.Prefer.Count, EstimateAbove(request))
            : RoutineSql.Scalar(plan.Call, request.Prefer.Count == CountPreference.Exact);
        return new CachedCall(plan, query);
    }

    /// <summary>A function returning one composite value answers with an object, a set-returning one with an array.</summary>
    private static MediaType Rendered(RoutinePlan plan, MediaType media) => plan.Routine.ReturnsSet ? media : MediaTypes.Singular(media);

    /// <summary>application/vnd.pgrst.plan: the EXPLAIN of the statement the request would run.</summary>
    private async Task<ApiResponse> ExplainAsync(SqlStatement statement, PlanSpec spec, RequestValues values, TransactionSettings tx, TransactionMode mode,
        IReadOnlyList<string> applied, CancellationToken ct)
    {
        var result = await executor.ExecuteAsync(ReadSql.Explain(statement, spec), values, tx, mode, readBody: true, check: null, ct);
        return await RespondAsync(result, (spec, applied), static (s, r) => ReadResponse.Explain(s.spec, r, s.applied));
    }

    /// <summary>The response for a result; if the Response stage refuses it (PGRST116, PGRST103), the result's body is freed.</summary>
    private static async ValueTask<ApiResponse> RespondAsync<TState>(ApiResult result, TState state, Func<TState, ApiResult, ApiResponse> respond)
    {
        try
        {
            return respond(state, result);
        }
        catch
        {
            await result.DisposeAsync();
            throw;
        }
    }

    /// <summary>The request with its query's values taken out (parameter references in their place): what plans are made from.</summary>
    private static ApiRequest Shaped(ApiRequest request) =>
        ValueExtraction.Extract(request.Query).Shape is var shape && ReferenceEquals(shape, request.Query) ? request : request with { Query = shape };

    private long? EstimateAbove(ApiRequest request) => request.Prefer.Count == CountPreference.Estimated ? options.DbMaxRows : null;

    /// <summary>The transaction's settings: search_path, the role and its own settings, request.* for SQL.</summary>
    private TransactionSettings Settings(HttpContext ctx, ApiRequest request, Principal principal, SchemaModel model)
    {
        // The role reaches set_config only from the closed set of roles the authenticator may become.
        model.Roles?.EnsureCanSwitchTo(principal.Role);
        var searchPath = request.Schema == options.Schemas[0] ? _session.SearchPath : SessionDefaults.SearchPathFor(request.Schema, options.DbExtraSearchPath);
        var facts = RequestFacts.Of(ctx.Request, searchPath, principal.Role, principal.ClaimsJson, principal.Authenticated);
        return TransactionSettings.For(facts, _session, model.RoleSettings.GetValueOrDefault(principal.Role) ?? [], _preRequestSql, model.UsesRequestContext);
    }
}
