// The real @supabase/supabase-js (pinned in package-lock.json) against `hearth serve --supabase project`:
// auth (/auth/v1) and data (/rest/v1) as an app uses them. HEARTH_URL is set by run.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createClient } from '@supabase/supabase-js';

const url = process.env.HEARTH_URL;
// The Supabase CLI's local-development secret and anon key: what `supabase start` prints, and what
// Hearth uses with --supabase when no secret is configured.
const secret = 'super-secret-jwt-token-with-at-least-32-characters-long';
const anonKey = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const b64 = (s) => Buffer.from(s).toString('base64url');
const sign = (payload) => {
  const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const serviceRoleKey = sign({ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 });

// Node 20 has no global WebSocket: realtime needs a transport even when unused.
const client = (key = anonKey) => createClient(url, key, {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket },
});
const email = (who) => `${who}-${randomUUID()}@example.com`;
const password = 'correct horse 42';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function signedUp(who, data) {
  const supabase = client();
  const { data: result, error } = await supabase.auth.signUp({ email: email(who), password, options: { data } });
  assert.equal(error, null);
  return { supabase, user: result.user, session: result.session };
}

test('signUp returns a session, and the profile trigger on auth.users ran', async () => {
  const { supabase, user, session } = await signedUp('signup', { full_name: 'Ada Lovelace' });
  assert.ok(session.access_token);
  assert.equal(session.token_type, 'bearer');
  assert.equal(user.user_metadata.full_name, 'Ada Lovelace');
  const { data, error } = await supabase.from('profiles').select('full_name');
  assert.equal(error, null);
  assert.deepEqual(data, [{ full_name: 'Ada Lovelace' }]);
});

test('signInWithPassword, and a wrong password is invalid_credentials', async () => {
  const { user } = await signedUp('signin');
  const supabase = client();
  const ok = await supabase.auth.signInWithPassword({ email: user.email, password });
  assert.equal(ok.error, null);
  assert.equal(ok.data.user.id, user.id);
  const wrong = await client().auth.signInWithPassword({ email: user.email, password: 'not it' });
  assert.equal(wrong.data.session, null);
  assert.equal(wrong.error.name, 'AuthApiError');
  assert.equal(wrong.error.status, 400);
  assert.equal(wrong.error.code, 'invalid_credentials');
  assert.equal(wrong.error.message, 'Invalid login credentials');
});

test('getUser and updateUser (data, then password)', async () => {
  const { supabase, user } = await signedUp('update', { theme: 'light' });
  const me = await supabase.auth.getUser();
  assert.equal(me.error, null);
  assert.equal(me.data.user.id, user.id);
  const data = await supabase.auth.updateUser({ data: { theme: 'dark' } });
  assert.equal(data.error, null);
  assert.equal(data.data.user.user_metadata.theme, 'dark');
  const pw = await supabase.auth.updateUser({ password: 'a new password' });
  assert.equal(pw.error, null);
  assert.equal((await client().auth.signInWithPassword({ email: user.email, password: 'a new password' })).error, null);
  assert.equal((await client().auth.signInWithPassword({ email: user.email, password })).error.code, 'invalid_credentials');
});

test('refreshSession rotates the refresh token; a reused one outside the reuse interval is refused', async () => {
  const { supabase, session } = await signedUp('refresh');
  const first = session.refresh_token;
  const refreshed = await supabase.auth.refreshSession();
  assert.equal(refreshed.error, null);
  assert.notEqual(refreshed.data.session.refresh_token, first);
  assert.ok(refreshed.data.session.access_token);
  await supabase.auth.refreshSession();
  await sleep(2100); // the project's refresh_token_reuse_interval is 1 s
  const reused = await client().auth.refreshSession({ refresh_token: first });
  assert.equal(reused.data.session, null);
  assert.equal(reused.error.code, 'refresh_token_already_used');
});

test('signOut ends the session: its access token no longer gets the user', async () => {
  const { supabase, session } = await signedUp('signout');
  assert.equal((await supabase.auth.signOut()).error, null);
  const after = await client().auth.getUser(session.access_token);
  assert.equal(after.data.user, null);
  // supabase-js turns GoTrue's 403 session_not_found into its AuthSessionMissingError.
  assert.equal(after.error.name, 'AuthSessionMissingError');
  const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
  assert.equal(refresh.error.code, 'refresh_token_not_found');
});

test('signInAnonymously', async () => {
  const supabase = client();
  const { data, error } = await supabase.auth.signInAnonymously();
  assert.equal(error, null);
  assert.equal(data.user.is_anonymous, true);
  assert.equal((await supabase.auth.getUser()).data.user.id, data.user.id);
});

test('two users are kept apart by RLS on reads and writes', async () => {
  const alice = await signedUp('alice');
  const bob = await signedUp('bob');
  const inserted = await alice.supabase.from('todos').insert({ task: 'alice buys milk' }).select('task,user_id').single();
  assert.equal(inserted.error, null);
  assert.equal(inserted.data.user_id, alice.user.id);
  assert.deepEqual((await bob.supabase.from('todos').select('task')).data, []);
  const forged = await bob.supabase.from('todos').insert({ task: 'planted', user_id: alice.user.id });
  assert.equal(forged.error.code, '42501');
  const defaced = await bob.supabase.from('todos').update({ task: 'defaced' }).eq('user_id', alice.user.id).select();
  assert.deepEqual(defaced.data, []);
  const mine = await alice.supabase.from('todos').select('task');
  assert.deepEqual(mine.data, [{ task: 'alice buys milk' }]);
});

test('the admin API with the service_role key', async () => {
  const admin = client(serviceRoleKey).auth.admin;
  const address = email('admin');
  const created = await admin.createUser({ email: address, password, email_confirm: true, user_metadata: { name: 'Grace' } });
  assert.equal(created.error, null);
  const id = created.data.user.id;
  assert.equal((await admin.getUserById(id)).data.user.email, address);
  const listed = await admin.listUsers({ page: 1, perPage: 1000 });
  assert.equal(listed.error, null);
  assert.ok(listed.data.users.some((u) => u.id === id));
  const updated = await admin.updateUserById(id, { user_metadata: { name: 'Grace Hopper' } });
  assert.equal(updated.data.user.user_metadata.name, 'Grace Hopper');
  assert.equal((await client().auth.signInWithPassword({ email: address, password })).error, null);
  assert.equal((await admin.deleteUser(id)).error, null);
  assert.equal((await admin.getUserById(id)).error.status, 404);
  const refused = await client().auth.admin.listUsers();
  assert.equal(refused.error.status, 403);
  assert.equal(refused.error.code, 'not_admin');
});

test('the local anon key: signed-out reads are anonymous and RLS shows nothing', async () => {
  const { data, error, status } = await client().from('todos').select('*');
  assert.equal(error, null);
  assert.equal(status, 200);
  assert.deepEqual(data, []);
});
