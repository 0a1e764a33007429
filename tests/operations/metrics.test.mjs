// Hearth's admin listener: /live, /ready and /metrics, the metrics parsed by a real Prometheus text parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import net from 'node:net';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

const api = process.env.HEARTH_URL;
const admin = process.env.HEARTH_ADMIN_URL;

async function scrapeText() {
  const res = await fetch(`${admin}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /text\/plain/);
  return res.text();
}

async function scrape() {
  return parsePrometheusTextFormat(await scrapeText());
}

/**
 * One series of a histogram. parse-prometheus-text-format keeps count and sum only for histograms without
 * labels (it flattens label sets), so the lines of the wanted series are selected first and their other
 * labels dropped; the parser still reads the real exposition lines.
 */
function histogramSeries(text, name, labels) {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const lines = text.split('\n').filter((l) => l.startsWith(name) && pairs.every((p) => l.includes(p)));
  const unlabeled = lines.map((l) => (l.includes('le="') ? l.replace(/\{[^}]*?(le="[^"]*")[^}]*\}/, '{$1}') : l.replace(/\{[^}]*\}/, '')));
  const [family] = parsePrometheusTextFormat([`# TYPE ${name} histogram`, ...unlabeled, ''].join('\n'));
  return family;
}

/** Sum of a counter's (or gauge's) samples whose labels include `labels`; 0 when absent. */
function sum(families, name, labels = {}) {
  const family = families.find((f) => f.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((total, m) => total + Number(m.value ?? m.count), 0);
}

function hs256(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${body}.${crypto.createHmac('sha256', process.env.JWT_SECRET).update(body).digest('base64url')}`;
}

test('the admin port answers /live and /ready, and only it serves /metrics', async () => {
  assert.equal((await fetch(`${admin}/live`)).status, 200);
  assert.equal((await fetch(`${admin}/ready`)).status, 200);
  assert.equal((await fetch(`${admin}/nothing-here`)).status, 404);
  // On the API port /metrics is just a (missing) table, never the exporter.
  const onApi = await fetch(`${api}/metrics`);
  assert.notEqual(onApi.status, 200);
  assert.doesNotMatch(await onApi.text(), /# TYPE/);
});

test('request counters and latency histograms move under load', async () => {
  const before = await scrape();
  const histogramBefore = histogramSeries(await scrapeText(), 'hearth_http_request_duration_seconds', { hearth_route: 'rest', http_request_method: 'GET', http_response_status_code: '200' });
  await Promise.all(Array.from({ length: 40 }, () => fetch(`${api}/items`).then((r) => r.arrayBuffer())));
  await Promise.all(Array.from({ length: 5 }, () => fetch(`${api}/no_such_table`).then((r) => r.arrayBuffer())));
  const afterText = await scrapeText();
  const after = parsePrometheusTextFormat(afterText);

  const ok = { http_request_method: 'GET', hearth_route: 'rest', http_response_status_code: '200' };
  assert.ok(sum(after, 'hearth_http_requests_total', ok) - sum(before, 'hearth_http_requests_total', ok) >= 40);
  const missing = { http_request_method: 'GET', hearth_route: 'rest', http_response_status_code: '404' };
  assert.ok(sum(after, 'hearth_http_requests_total', missing) - sum(before, 'hearth_http_requests_total', missing) >= 5);

  assert.equal(after.find((f) => f.name === 'hearth_http_request_duration_seconds')?.type, 'HISTOGRAM');
  const histogram = histogramSeries(afterText, 'hearth_http_request_duration_seconds', { hearth_route: 'rest', http_request_method: 'GET', http_response_status_code: '200' });
  const sample = histogram.metrics[0];
  assert.ok(Number(sample.count) - Number(histogramBefore?.metrics[0]?.count ?? 0) >= 40);
  assert.ok(Number(sample.sum) > 0);
  assert.equal(sample.buckets['+Inf'], sample.count);
  const counts = Object.entries(sample.buckets).sort(([a], [b]) => Number(a) - Number(b)).map(([, c]) => Number(c));
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] >= counts[i - 1], 'cumulative buckets never decrease');
});

test('database pool metrics (Npgsql) and the schema cache reload count are exported', async () => {
  const families = await scrape();
  assert.ok(sum(families, 'db_client_connection_max') > 0);
  assert.ok(families.some((f) => f.name === 'db_client_connection_count'));
  assert.ok(sum(families, 'hearth_schema_cache_reloads_total') >= 1);
});

test('JWT cache hits and misses are counted', async () => {
  const token = hs256({ role: 'anon', exp: Math.floor(Date.now() / 1000) + 600, nonce: crypto.randomUUID() });
  const before = await scrape();
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${api}/items`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  }
  const after = await scrape();
  const delta = (result) => sum(after, 'hearth_jwt_cache_lookups_total', { result }) - sum(before, 'hearth_jwt_cache_lookups_total', { result });
  assert.equal(delta('miss'), 1);
  assert.equal(delta('hit'), 9);
});

test('failed sign-ins are counted by error code', async () => {
  const before = await scrape();
  for (let i = 0; i < 3; i++) {
    const res = await fetch(`${api}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: hs256({ role: 'anon', iss: 'supabase', exp: Math.floor(Date.now() / 1000) + 600 }) },
      body: JSON.stringify({ email: `nobody${i}@example.com`, password: 'wrong-password' }),
    });
    assert.equal(res.status, 400);
    await res.arrayBuffer();
  }
  const after = await scrape();
  const labels = { grant_type: 'password', error_code: 'invalid_credentials' };
  assert.equal(sum(after, 'hearth_auth_sign_in_failures_total', labels) - sum(before, 'hearth_auth_sign_in_failures_total', labels), 3);
  const auth = { hearth_route: 'auth', http_response_status_code: '400' };
  assert.ok(sum(after, 'hearth_http_requests_total', auth) - sum(before, 'hearth_http_requests_total', auth) >= 3);
});

const realtimeGauges = ['hearth_realtime_connections', 'hearth_realtime_queued_messages'];

/** Scrapes until `done(families)` holds (the feed delivers a moment after a commit), or fails after 15 s. */
async function scrapeUntil(done, what) {
  for (let i = 0; i < 150; i++) {
    const families = await scrape();
    if (done(families)) return families;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`metrics never showed ${what}`);
}

async function insertFeed(id, note) {
  const res = await fetch(`${api}/feed`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id, note }) });
  assert.equal(res.status, 201);
  await res.arrayBuffer();
}

test('realtime connections and queued messages move with a change stream', async () => {
  const before = await scrape();
  const abort = new AbortController();
  const res = await fetch(`${api}/feed?id=lt.1000`, { headers: { accept: 'text/event-stream' }, signal: abort.signal });
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  let text = '';
  const readUntil = async (needle) => {
    while (!text.includes(needle)) {
      const { value, done } = await reader.read();
      assert.ok(!done, `stream ended before ${needle}`);
      text += Buffer.from(value).toString();
    }
  };
  await readUntil(': connected');
  const open = await scrape();
  assert.equal(sum(open, 'hearth_realtime_connections') - sum(before, 'hearth_realtime_connections'), 1);

  await insertFeed(1, 'hello');
  await readUntil('event: INSERT');
  const after = await scrape();
  for (const name of realtimeGauges) assert.equal(after.find((f) => f.name === name)?.type, 'GAUGE', name);
  assert.ok(sum(after, 'hearth_realtime_messages_total') - sum(before, 'hearth_realtime_messages_total') >= 1);
  abort.abort();
  await scrapeUntil((f) => sum(f, 'hearth_realtime_connections') === sum(before, 'hearth_realtime_connections'), 'the stream closed');
});

test('a change stream that stops reading fills its queue and is disconnected for overflow', async () => {
  const before = await scrape();
  // A raw connection that never reads: socket buffers fill, then its queue (20 messages here), then it overflows.
  const { port, hostname } = new URL(api);
  const socket = net.connect(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`GET /feed?id=gte.1000 HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n\r\n`);
  socket.pause();
  try {
    await scrapeUntil((f) => sum(f, 'hearth_realtime_connections') > sum(before, 'hearth_realtime_connections'), 'the stuck stream');
    const big = 'x'.repeat(64 * 1024);
    let maxQueued = 0;
    let overflowed = false;
    for (let i = 0; i < 400 && !overflowed; i++) {
      await insertFeed(1000 + i, big);
      const now = await scrape();
      maxQueued = Math.max(maxQueued, sum(now, 'hearth_realtime_queued_messages') - sum(before, 'hearth_realtime_queued_messages'));
      overflowed = sum(now, 'hearth_realtime_overflow_disconnects_total') > sum(before, 'hearth_realtime_overflow_disconnects_total');
    }
    assert.ok(overflowed, 'the stuck stream overflowed');
    assert.ok(maxQueued > 0, 'messages were seen waiting in its queue');
    const after = await scrape();
    assert.equal(sum(after, 'hearth_realtime_overflow_disconnects_total') - sum(before, 'hearth_realtime_overflow_disconnects_total'), 1);
  } finally {
    socket.destroy();
  }
  // Gone: its connection and whatever was still queued for it.
  await scrapeUntil((f) => realtimeGauges.every((g) => sum(f, g) === sum(before, g)), 'the stuck stream released');
});

test('storage bytes uploaded and downloaded are counted', async () => {
  const service = { Authorization: `Bearer ${hs256({ role: 'service_role', exp: Math.floor(Date.now() / 1000) + 600 })}` };
  const bucket = await fetch(`${api}/storage/v1/bucket`, {
    method: 'POST',
    headers: { ...service, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'metrics', name: 'metrics' }),
  });
  assert.equal(bucket.status, 200, await bucket.text());
  const before = await scrape();
  const bytes = crypto.randomBytes(100_000);
  const upload = await fetch(`${api}/storage/v1/object/metrics/file.bin`, { method: 'POST', headers: { ...service, 'content-type': 'application/octet-stream' }, body: bytes });
  assert.equal(upload.status, 200, await upload.text());
  const download = await fetch(`${api}/storage/v1/object/metrics/file.bin`, { headers: service });
  assert.equal(download.status, 200);
  assert.ok(Buffer.from(await download.arrayBuffer()).equals(bytes));
  const after = await scrape();
  assert.equal(sum(after, 'hearth_storage_uploaded_bytes_total') - sum(before, 'hearth_storage_uploaded_bytes_total'), 100_000);
  assert.equal(sum(after, 'hearth_storage_downloaded_bytes_total') - sum(before, 'hearth_storage_downloaded_bytes_total'), 100_000);
});
