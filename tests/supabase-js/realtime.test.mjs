// Realtime with the real @supabase/supabase-js (pinned in package-lock.json) against `hearth serve --supabase project`:
// postgres_changes as Supabase's slack-clone subscribes (INSERT and DELETE on messages, * on users, a filtered
// subscription), delivered to a signed-in user and not to anon (RLS), broadcast and presence between two clients.
// Node 20 has no global WebSocket: `ws` is the transport. HEARTH_URL is set by run.sh.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createClient } from '@supabase/supabase-js';

const url = process.env.HEARTH_URL;
const anonKey = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const clients = [];
const client = () => {
  const c = createClient(url, anonKey, { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket } });
  clients.push(c);
  return c;
};
after(async () => { for (const c of clients) await c.removeAllChannels(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function signedIn(who) {
  const supabase = client();
  const { data, error } = await supabase.auth.signUp({ email: `${who}-${randomUUID()}@example.com`, password: 'correct horse 42' });
  assert.equal(error, null);
  supabase.realtime.setAuth(data.session.access_token);
  return { supabase, user: data.user };
}

/** Subscribes and resolves once SUBSCRIBED; events land in the returned array. */
function subscribe(supabase, name, bindings) {
  const events = [];
  const channel = supabase.channel(name);
  for (const b of bindings) channel.on('postgres_changes', b, (payload) => events.push(payload));
  return new Promise((resolve, reject) => {
    channel.subscribe((status, err) => {
      if (status === 'SUBSCRIBED') resolve({ channel, events });
      else if (status !== 'CLOSED') reject(err ?? new Error(status));
    });
  });
}

async function until(check, what, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await sleep(25);
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function newChannel(supabase, user) {
  const { data, error } = await supabase.from('channels').insert({ slug: `c-${randomUUID()}`, created_by: user.id }).select().single();
  assert.equal(error, null);
  return data;
}

test('INSERT and DELETE on messages reach a signed-in subscriber, not anon', async () => {
  const { supabase, user } = await signedIn('writer');
  const reader = await signedIn('reader');
  const room = await newChannel(supabase, user);
  const signedInSub = await subscribe(reader.supabase, 'messages-reader', [
    { event: 'INSERT', schema: 'public', table: 'messages' },
    { event: 'DELETE', schema: 'public', table: 'messages' },
  ]);
  const anonSub = await subscribe(client(), 'messages-anon', [{ event: '*', schema: 'public', table: 'messages' }]);

  const { data: msg, error } = await supabase.from('messages').insert({ message: 'hello', user_id: user.id, channel_id: room.id }).select().single();
  assert.equal(error, null);
  await until(() => signedInSub.events.some((e) => e.eventType === 'INSERT' && e.new.id === msg.id), 'the INSERT');
  const insert = signedInSub.events.find((e) => e.new.id === msg.id);
  assert.equal(insert.schema, 'public');
  assert.equal(insert.table, 'messages');
  assert.equal(insert.new.message, 'hello');
  assert.equal(insert.new.user_id, user.id);
  assert.equal(insert.new.channel_id, room.id);
  assert.deepEqual(insert.old, {});
  assert.ok(!Number.isNaN(Date.parse(insert.commit_timestamp)));

  const del = await supabase.from('messages').delete().eq('id', msg.id);
  assert.equal(del.error, null);
  await until(() => signedInSub.events.some((e) => e.eventType === 'DELETE'), 'the DELETE');
  const deleted = signedInSub.events.find((e) => e.eventType === 'DELETE');
  assert.deepEqual(deleted.old, { id: msg.id }); // replica identity default (and RLS): the key only
  assert.deepEqual(deleted.new, {});

  await sleep(500);
  // anon may SELECT messages (Supabase's default grants) but RLS shows it no row: no INSERT.
  assert.equal(anonSub.events.filter((e) => e.eventType === 'INSERT').length, 0);
});

test('* on users: the signed-in user sees inserts and updates', async () => {
  const watcher = await signedIn('watcher');
  const sub = await subscribe(watcher.supabase, 'users-all', [{ event: '*', schema: 'public', table: 'users' }]);
  const { supabase, user } = await signedIn('newcomer');
  await until(() => sub.events.some((e) => e.eventType === 'INSERT' && e.new.id === user.id), 'the new user');
  const { error } = await supabase.from('users').update({ status: 'ONLINE' }).eq('id', user.id);
  assert.equal(error, null);
  await until(() => sub.events.some((e) => e.eventType === 'UPDATE' && e.new.id === user.id), 'the update');
  const update = sub.events.find((e) => e.eventType === 'UPDATE' && e.new.id === user.id);
  assert.equal(update.new.status, 'ONLINE');
  assert.equal(update.old.id, user.id);
});

test('a filtered subscription gets only the rows that match', async () => {
  const { supabase, user } = await signedIn('filter');
  const a = await newChannel(supabase, user);
  const b = await newChannel(supabase, user);
  const sub = await subscribe(supabase, 'messages-filtered', [{ event: 'INSERT', schema: 'public', table: 'messages', filter: `channel_id=eq.${a.id}` }]);
  const inB = await supabase.from('messages').insert({ message: 'in b', user_id: user.id, channel_id: b.id });
  const inA = await supabase.from('messages').insert({ message: 'in a', user_id: user.id, channel_id: a.id });
  assert.equal(inB.error, null);
  assert.equal(inA.error, null);
  await until(() => sub.events.length > 0, 'the matching row');
  await sleep(300);
  assert.deepEqual(sub.events.map((e) => e.new.message), ['in a']);
});

test('a subscription to a table that does not exist is a CHANNEL_ERROR', async () => {
  await assert.rejects(subscribe(client(), 'nope', [{ event: '*', schema: 'public', table: 'no_such_table' }]), /does not exist/);
});

test('broadcast between two clients, with ack, and over HTTP when the sender is not subscribed', async () => {
  const topic = `room-${randomUUID()}`;
  const received = [];
  const listener = client().channel(topic);
  listener.on('broadcast', { event: 'cursor' }, (msg) => received.push(msg.payload));
  await new Promise((resolve) => listener.subscribe((s) => s === 'SUBSCRIBED' && resolve()));
  const sender = client().channel(topic, { config: { broadcast: { ack: true } } });
  await new Promise((resolve) => sender.subscribe((s) => s === 'SUBSCRIBED' && resolve()));

  assert.equal(await sender.send({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } }), 'ok');
  await until(() => received.length === 1, 'the broadcast');
  assert.deepEqual(received[0], { x: 1, y: 2 });

  const viaHttp = client().channel(topic); // never subscribed: supabase-js posts to /realtime/v1/api/broadcast
  const warn = console.warn;
  console.warn = () => {};
  try { assert.equal(await viaHttp.send({ type: 'broadcast', event: 'cursor', payload: { x: 3 } }), 'ok'); }
  finally { console.warn = warn; }
  await until(() => received.length === 2, 'the HTTP broadcast');
  assert.deepEqual(received[1], { x: 3 });
});

test('presence of two clients: both see both, and an untrack leaves', async () => {
  const topic = `lobby-${randomUUID()}`;
  const join = async (key) => {
    const channel = client().channel(topic, { config: { presence: { key } } });
    channel.on('presence', { event: 'sync' }, () => {});
    await new Promise((resolve) => channel.subscribe((s) => s === 'SUBSCRIBED' && resolve()));
    return channel;
  };
  const a = await join('alice');
  const b = await join('bob');
  assert.equal(await a.track({ online_at: 1 }), 'ok');
  assert.equal(await b.track({ online_at: 2 }), 'ok');
  await until(() => Object.keys(a.presenceState()).length === 2 && Object.keys(b.presenceState()).length === 2, 'both presences');
  assert.equal(a.presenceState().bob[0].online_at, 2);
  assert.ok(a.presenceState().bob[0].presence_ref);
  assert.equal(await b.untrack(), 'ok');
  await until(() => !('bob' in a.presenceState()), 'bob leaving');
});

test('a change stream over plain HTTP (Accept: text/event-stream, as EventSource or curl -N)', async () => {
  const { supabase, user, session } = await (async () => {
    const c = client();
    const { data, error } = await c.auth.signUp({ email: `sse-${randomUUID()}@example.com`, password: 'correct horse 42' });
    assert.equal(error, null);
    return { supabase: c, user: data.user, session: data.session };
  })();
  const room = await newChannel(supabase, user);
  const abort = new AbortController();
  const response = await fetch(`${url}/rest/v1/messages?channel_id=eq.${room.id}&select=id,message`, {
    headers: { apikey: anonKey, Authorization: `Bearer ${session.access_token}`, Accept: 'text/event-stream' },
    signal: abort.signal,
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const events = [];
  const reading = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':') && l.includes(': ')).map((l) => [l.slice(0, l.indexOf(': ')), l.slice(l.indexOf(': ') + 2)]));
          if (fields.event) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      }
    } catch { /* aborted */ }
  })();
  const { data: msg, error } = await supabase.from('messages').insert({ message: 'streamed', user_id: user.id, channel_id: room.id }).select().single();
  assert.equal(error, null);
  await until(() => events.some((e) => e.event === 'INSERT'), 'the streamed INSERT');
  const insert = events.find((e) => e.event === 'INSERT');
  assert.deepEqual(insert.data.record, { id: msg.id, message: 'streamed' });
  assert.ok(insert.id);
  abort.abort();
  await reading;
});
