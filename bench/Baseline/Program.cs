// The baseline for bench/throughput.sh: what a developer would write by hand to serve the same JSON
// as Hearth, running the very same SQL text through the same NpgsqlDataSource settings.
// (Hearth's API sessions are already its anon role, so an anonymous read is the same single statement.)
//
//   BASELINE_DB="Host=/path/to/run;Port=5432;Username=postgres;Database=postgres" baseline --urls http://127.0.0.1:5001
//
// GET /items/{id}  ->  same statement as Hearth's GET /items?id=eq.{id}
// GET /items20     ->  same statement as Hearth's GET /items?select=id,name,price&order=id&limit=20
// GET /jwt/items/{id} -> Hearth's GET /items?id=eq.{id} with a JWT: the role switch, then the same read
// GET /supabase/todos/{id} -> Hearth's GET /rest/v1/todos?id=eq.{id} with a user's JWT (SUPABASE=1): the same
//                             settings statement (role, claims, method, path, headers), then the same read,
//                             under an RLS policy that calls auth.uid()
// POST /writes/one, /writes/bulk -> the inserts of bench/writes.sh (hand-written, one transaction each)
// POST /rpc/item_price     -> Hearth's statement for POST /rpc/item_price with a JSON body (bench/latency.sh)
// PATCH /writes/price/{id} -> a hand-written update of one row's price from a JSON body, one transaction
// PATCH /writes/price-batched/{id} -> the same in one round trip (diagnostics, see below)
using System.Data;
using Npgsql;
using NpgsqlTypes;

var builder = WebApplication.CreateSlimBuilder(args);
// What the ASP.NET template's appsettings.json does: no per-request Information logs from the framework.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

var connectionString = Environment.GetEnvironmentVariable("BASELINE_DB")
    ?? throw new InvalidOperationException("Set BASELINE_DB to an Npgsql connection string.");
var db = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString)
{
    ApplicationName = "baseline",
    MaxAutoPrepare = 256,
    AutoPrepareMinUsages = 2,
    NoResetOnClose = true,
}.ConnectionString);

var app = builder.Build();

// Hearth's statements end with the same seven result columns (src/Hearth/Sql/ResultColumns.cs); the body is the last.
const int Body = 6;
const string Columns =
    """select null::bigint as total_result_set, (count(*)) as page_total, null::text as response_headers, null::text as response_status, null::bigint as response_inserted, null::text[] as response_location, (coalesce(json_agg(_r), '[]')::text) as body from (select * from pgrst_source) as _r""";
const string ById =
    """with pgrst_source as (select "t0".* from "public"."items" as "t0" where "t0"."id" = $1) """ + Columns;
const string First20 =
    """with pgrst_source as (select "t0"."id" as "id", "t0"."name" as "name", "t0"."price" as "price" from "public"."items" as "t0" order by "t0"."id" limit 20) """ + Columns;

// Untyped, as Hearth sends a filter value: PostgreSQL infers the type from the column.
app.MapGet("/items/{id}", (HttpContext ctx) =>
    Json(ctx, ById, new NpgsqlParameter { Value = (string)ctx.Request.RouteValues["id"]!, NpgsqlDbType = NpgsqlDbType.Unknown }));
app.MapGet("/items20", (HttpContext ctx) =>
    Json(ctx, First20, null));

// Diagnostics only (bench/throughput.sh with ROLE_BASELINE=1): the same, but as Hearth runs it, in one
// batch after its per-request role switch. Separates the cost of that SQL from the rest of Hearth's work.
app.MapGet("/role/items/{id}", (HttpContext ctx) =>
    JsonAsAnon(ctx, ById, new NpgsqlParameter { Value = (string)ctx.Request.RouteValues["id"]!, NpgsqlDbType = NpgsqlDbType.Unknown }));
app.MapGet("/role/items20", (HttpContext ctx) =>
    JsonAsAnon(ctx, First20, null));

// The JWT row of bench/throughput.sh: a user's read under the role their token names, switched as Hearth and
// PostgREST switch it (one set_config before the read, in the same round trip). The token's role is read, not
// verified (Hearth verifies it, from its cache after the first request).
app.MapGet("/jwt/items/{id}", (HttpContext ctx) =>
{
    using var claims = System.Text.Json.JsonDocument.Parse(Claims(ctx.Request.Headers.Authorization.ToString()));
    return JsonAfter(ctx, "select set_config('role', $1, true)",
        [new NpgsqlParameter { Value = claims.RootElement.GetProperty("role").GetString(), NpgsqlDbType = NpgsqlDbType.Text }],
        ById, new NpgsqlParameter { Value = (string)ctx.Request.RouteValues["id"]!, NpgsqlDbType = NpgsqlDbType.Unknown });
});

// SUPABASE=1: what a hand-written Supabase-style endpoint does — take the claims from the bearer token (not
// verified here, which Hearth does: the baseline gets that for free), set the role and the request context
// PostgREST's way in the same round trip, and run the read that RLS then filters through auth.uid().
const string TodoById =
    """with pgrst_source as (select "t0".* from "public"."todos" as "t0" where "t0"."id" = $1) """ + Columns;
const string UserSettings =
    "select set_config('role', $1, true), set_config('request.jwt.claims', $2, true), set_config('request.method', $3, true), set_config('request.path', $4, true), set_config('request.headers', $5, true)";
app.MapGet("/supabase/todos/{id}", (HttpContext ctx) =>
    JsonAfter(ctx, UserSettings,
        [.. new[] { "authenticated", Claims(ctx.Request.Headers.Authorization.ToString()), "GET", "/todos", HeadersJson(ctx.Request.Headers) }
            .Select(value => new NpgsqlParameter { Value = value })],
        TodoById, new NpgsqlParameter { Value = (string)ctx.Request.RouteValues["id"]!, NpgsqlDbType = NpgsqlDbType.Unknown }));

// The payload of "Bearer <jwt>", as JSON text (not verified).
static string Claims(string authorization)
{
    var payload = authorization["Bearer ".Length..].Split('.')[1].Replace('-', '+').Replace('_', '/');
    return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(payload + new string('=', (4 - payload.Length % 4) % 4)));
}

static string HeadersJson(IHeaderDictionary headers)
{
    var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
    using (var w = new System.Text.Json.Utf8JsonWriter(buffer))
    {
        w.WriteStartObject();
        foreach (var (name, values) in headers) w.WriteString(name.ToLowerInvariant(), values.Count > 0 ? values[^1] : "");
        w.WriteEndObject();
    }
    return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
}

// bench/writes.sh: what a hand-written endpoint does for a JSON insert — the body as one json
// parameter into json_populate_record(set), committed (fsync on), 201 with no body.
app.MapPost("/writes/one", (HttpContext ctx) => Insert(ctx,
    "insert into public.items_w (name, price) select name, price from json_populate_record(null::public.items_w, $1::json)"));
app.MapPost("/writes/bulk", (HttpContext ctx) => Insert(ctx,
    "insert into public.items_w (name, price) select name, price from json_populate_recordset(null::public.items_w, $1::json)"));

// bench/latency.sh: Hearth's statement for POST /rpc/item_price {"item_id":42}, the JSON body as its one parameter.
const string ItemPrice =
    """with pgrst_payload as (select $1::json as j), pgrst_args as (select * from json_to_record((select j from pgrst_payload)) as _a("item_id" integer)), pgrst_call as materialized (select to_json("public"."item_price"("item_id" := (select "item_id" from pgrst_args))) as v) select null::bigint as total_result_set, (1::bigint) as page_total, null::text as response_headers, null::text as response_status, null::bigint as response_inserted, null::text[] as response_location, (v::text) as body from pgrst_call""";
app.MapPost("/rpc/item_price", async (HttpContext ctx) =>
{
    using var reader = new StreamReader(ctx.Request.Body);
    await Json(ctx, ItemPrice, new NpgsqlParameter { Value = await reader.ReadToEndAsync(ctx.RequestAborted) });
});
app.MapMethods("/writes/price/{id}", ["PATCH"], async (HttpContext ctx) =>
{
    var ct = ctx.RequestAborted;
    using var reader = new StreamReader(ctx.Request.Body);
    var body = await reader.ReadToEndAsync(ct);
    await using var conn = await db.OpenConnectionAsync(ct);
    await using var tx = await conn.BeginTransactionAsync(ct);
    await using var cmd = new NpgsqlCommand("update public.items_w set price = ($1::json->>'price')::numeric where id = $2", conn, tx);
    cmd.Parameters.Add(new NpgsqlParameter { Value = body });
    cmd.Parameters.Add(new NpgsqlParameter { Value = long.Parse((string)ctx.Request.RouteValues["id"]!) });
    await cmd.ExecuteNonQueryAsync(ct);
    await tx.CommitAsync(ct);
    ctx.Response.StatusCode = StatusCodes.Status204NoContent;
});

// Diagnostics only: the same update in one round trip (begin; update; commit in one batch), as Hearth sends a write
// whose result nothing can refuse. Separates the tail that comes from that transaction shape on one hot row.
app.MapMethods("/writes/price-batched/{id}", ["PATCH"], async (HttpContext ctx) =>
{
    var ct = ctx.RequestAborted;
    using var reader = new StreamReader(ctx.Request.Body);
    var body = await reader.ReadToEndAsync(ct);
    await using var conn = await db.OpenConnectionAsync(ct);
    await using var batch = new NpgsqlBatch(conn);
    batch.BatchCommands.Add(new NpgsqlBatchCommand("begin read write"));
    var update = new NpgsqlBatchCommand("update public.items_w set price = ($1::json->>'price')::numeric where id = $2");
    update.Parameters.Add(new NpgsqlParameter { Value = body });
    update.Parameters.Add(new NpgsqlParameter { Value = long.Parse((string)ctx.Request.RouteValues["id"]!) });
    batch.BatchCommands.Add(update);
    batch.BatchCommands.Add(new NpgsqlBatchCommand("commit"));
    await batch.ExecuteNonQueryAsync(ct);
    ctx.Response.StatusCode = StatusCodes.Status204NoContent;
});

// Diagnostics for comparing with Hearth's /metrics (System.Runtime): allocated bytes, thread-pool work items, GCs.
app.MapGet("/diag", () => $"{GC.GetTotalAllocatedBytes()} {ThreadPool.CompletedWorkItemCount} {GC.CollectionCount(0)} {GC.GetTotalPauseDuration().TotalMilliseconds}");

app.Run();

async Task Insert(HttpContext ctx, string sql)
{
    var ct = ctx.RequestAborted;
    using var reader = new StreamReader(ctx.Request.Body);
    var body = await reader.ReadToEndAsync(ct);
    await using var conn = await db.OpenConnectionAsync(ct);
    await using var tx = await conn.BeginTransactionAsync(ct);
    await using var cmd = new NpgsqlCommand(sql, conn, tx);
    cmd.Parameters.Add(new NpgsqlParameter { Value = body });
    await cmd.ExecuteNonQueryAsync(ct);
    await tx.CommitAsync(ct);
    ctx.Response.StatusCode = StatusCodes.Status201Created;
}

// One command, its single row read sequentially, the JSON column streamed straight to the response.
async Task Json(HttpContext ctx, string sql, NpgsqlParameter? parameter)
{
    var ct = ctx.RequestAborted;
    await using var conn = await db.OpenConnectionAsync(ct);
    await using var cmd = new NpgsqlCommand(sql, conn);
    if (parameter is not null) cmd.Parameters.Add(parameter);
    await using var reader = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
    await reader.ReadAsync(ct);
    ctx.Response.ContentType = "application/json; charset=utf-8";
    await using var body = await reader.GetFieldValueAsync<Stream>(Body, ct);
    await body.CopyToAsync(ctx.Response.Body, ct);
}

Task JsonAsAnon(HttpContext ctx, string sql, NpgsqlParameter? parameter) =>
    JsonAfter(ctx, "select set_config('role', $1, true), set_config('transaction_read_only', 'on', true)", [new NpgsqlParameter { Value = "anon" }], sql, parameter);

// A settings statement, then the read, in one batch (one round trip); the read's JSON column streamed to the response.
async Task JsonAfter(HttpContext ctx, string setupSql, NpgsqlParameter[] setupValues, string sql, NpgsqlParameter? parameter)
{
    var ct = ctx.RequestAborted;
    await using var conn = await db.OpenConnectionAsync(ct);
    await using var batch = new NpgsqlBatch(conn);
    var setup = new NpgsqlBatchCommand(setupSql);
    foreach (var value in setupValues) setup.Parameters.Add(value);
    batch.BatchCommands.Add(setup);
    var main = new NpgsqlBatchCommand(sql);
    if (parameter is not null) main.Parameters.Add(parameter);
    batch.BatchCommands.Add(main);
    await using var reader = await batch.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
    await reader.NextResultAsync(ct);
    await reader.ReadAsync(ct);
    ctx.Response.ContentType = "application/json; charset=utf-8";
    await using var body = await reader.GetFieldValueAsync<Stream>(Body, ct);
    await body.CopyToAsync(ctx.Response.Body, ct);
}
