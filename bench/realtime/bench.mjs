// Drives bench/realtime.sh: raw Phoenix (vsn 2.0.0) sockets as realtime-js opens them, rows inserted through
// the REST API. Latency = from the moment the INSERT request is sent to the moment a subscriber has the change
// (an upper bound of commit-to-delivery: it includes the REST insert and its commit).
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
const require = createRequire(new URL('../../tests/supabase-js/package.json', import.meta.url));
const WebSocket = require('ws');

const [url, anon, pid] = process.argv.slice(2);
const wsUrl = `${url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${anon}&vsn=2.0.0`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.min(s.length - 1, Math.floor(p / 100 * s.length))] : NaN; };
const rssKb = () => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

let ref = 0;
async function subscriber(topic, config, onChange) {
  const ws = new WebSocket(wsUrl);
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  const joined = new Promise((res) => ws.on('message', (raw) => {
    const [, , , event, payload] = JSON.parse(raw.toString());
    if (event === 'phx_reply' && payload.status === 'ok') res();
    if (event === 'postgres_changes' && onChange) onChange(payload.data.record, now());
  }));
  const r = String(++ref);
  ws.send(JSON.stringify([r, r, `realtime:${topic}`, 'phx_join', { config }]));
  await joined;
  return ws;
}

const changes = { postgres_changes: [{ event: 'INSERT', schema: 'public', table: 'ticks' }] };
async function insert(note) {
  const sent = now();
  const res = await fetch(`${url}/ticks`, { method: 'POST', headers: { 'Content-Type': 'application/json', Prefer: 'return=minimal', Authorization: `Bearer ${anon}` }, body: JSON.stringify({ sent, note }) });
  if (res.status !== 201) throw new Error(`insert: ${res.status} ${await res.text()}`);
}

async function latency(subscribers, rows, gapMs, label) {
  const lat = [];
  const sockets = [];
  for (let i = 0; i < subscribers; i += 50)
    sockets.push(...await Promise.all(Array.from({ length: Math.min(50, subscribers - i) }, () =>
      subscriber(`lat-${label}`, changes, (rec, at) => { if (rec.note === label) lat.push(at - rec.sent); }))));
  await sleep(500);
  for (let i = 0; i < rows; i++) { await insert(label); await sleep(gapMs); }
  const want = subscribers * rows;
  for (let i = 0; i < 200 && lat.length < want; i++) await sleep(50);
  for (const s of sockets) s.terminate();
  return { label, subscribers, rows, delivered: lat.length, expected: want, p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function sustained() {
  const lat = [];
  let label = '';
  const sockets = await Promise.all(Array.from({ length: 10 }, () => subscriber('rate', changes, (rec, at) => { if (rec.note === label) lat.push(at - rec.sent); })));
  const steps = [];
  for (const rate of [50, 100, 200, 400, 800, 1600]) {
    label = `rate-${rate}`;
    lat.length = 0;
    const seconds = 4, total = rate * seconds, start = now();
    const inflight = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
      inflight.push(insert(label));
      if (inflight.length > 64) await inflight.shift();
    }
    await Promise.all(inflight);
    const achieved = total / ((now() - start) / 1000);
    for (let i = 0; i < 100 && lat.length < total * 10; i++) await sleep(50);
    steps.push({ rate, achieved: Math.round(achieved), delivered: lat.length, expected: total * 10, p50: pct(lat, 50), p99: pct(lat, 99) });
    if (pct(lat, 99) > 100 || lat.length < total * 10) break;
  }
  for (const s of sockets) s.terminate();
  return steps;
}

async function idleMemory(n) {
  const before = rssKb();
  const sockets = [];
  for (let i = 0; i < n; i += 50)
    sockets.push(...await Promise.all(Array.from({ length: Math.min(50, n - i) }, () => subscriber('idle', { broadcast: { self: false } }))));
  await sleep(2000);
  const after = rssKb();
  for (const s of sockets) s.terminate();
  return { connections: n, rssBeforeMb: before / 1024, rssAfterMb: after / 1024, perConnectionKb: (after - before) / n };
}

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const mem = await idleMemory(1000); // first, before the other scenarios grow the heap
const one = await latency(1, 200, 20, 'one');
const many = await latency(1000, 50, 100, 'many');
const rate = await sustained();
console.log('| scenario | deliveries | p50 ms | p99 ms |\n|---|---|---|---|');
for (const r of [one, many]) console.log(`| ${r.subscribers} subscriber(s), ${r.rows} inserts | ${r.delivered}/${r.expected} | ${f(r.p50)} | ${f(r.p99)} |`);
console.log('\n| offered inserts/s (10 subscribers) | achieved | deliveries | p50 ms | p99 ms |\n|---|---|---|---|---|');
for (const s of rate) console.log(`| ${s.rate} | ${s.achieved} | ${s.delivered}/${s.expected} | ${f(s.p50)} | ${f(s.p99)} |`);
console.log(`\nIdle connections: ${mem.connections}, Hearth RSS ${f(mem.rssBeforeMb)} MB → ${f(mem.rssAfterMb)} MB, ${f(mem.perConnectionKb)} KB per connection`);
