// Hearth's admin listener: /live, /ready and /metrics, the metrics parsed by a real Prometheus text parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
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
