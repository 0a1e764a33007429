// The real @supabase/supabase-js storage client (storage-js, pinned in package-lock.json) against
// `hearth serve --supabase project`: the user-management avatar flow, a private bucket guarded by policies
// on storage.objects, upsert, limits, signed URLs, bucket management. HEARTH_URL is set by run.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID, randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { createClient } from '@supabase/supabase-js';

const url = process.env.HEARTH_URL;
const secret = 'super-secret-jwt-token-with-at-least-32-characters-long';
const anonKey = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
const b64 = (s) => Buffer.from(s).toString('base64url');
const sign = (payload) => {
  const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const serviceRoleKey = sign({ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 });

const client = (key = anonKey) => createClient(url, key, {
  auth: { persistSession: false, autoRefreshToken: false },
  realtime: { transport: WebSocket },
});
const admin = client(serviceRoleKey);

async function signedUp() {
  const supabase = client();
  const { data, error } = await supabase.auth.signUp({ email: `storage-${randomUUID()}@example.com`, password: 'correct horse 42' });
  assert.equal(error, null);
  return { supabase, user: data.user };
}

const bytes = async (blob) => Buffer.from(await blob.arrayBuffer());

test('user-management flow: upload an avatar signed in, download, list, public and signed URLs, remove', async () => {
  const { supabase, user } = await signedUp();
  const avatars = supabase.storage.from('avatars');
  const png = randomBytes(2048);
  const path = `${user.id}-${randomUUID()}.png`;

  const up = await avatars.upload(path, png, { contentType: 'image/png' });
  assert.equal(up.error, null);
  assert.equal(up.data.path, path);
  assert.equal(up.data.fullPath, `avatars/${path}`);
  assert.ok(up.data.id);

  const down = await avatars.download(path);
  assert.equal(down.error, null);
  assert.equal(down.data.type, 'image/png');
  assert.deepEqual(await bytes(down.data), png);

  const listed = await avatars.list('', { search: user.id });
  assert.equal(listed.error, null);
  const entry = listed.data.find((f) => f.name === path);
  assert.ok(entry, 'the avatar is listed');
  assert.equal(entry.metadata.size, 2048);
  assert.equal(entry.metadata.mimetype, 'image/png');

  // A public bucket's URL needs no token at all.
  const { data: { publicUrl } } = avatars.getPublicUrl(path);
  const pub = await fetch(publicUrl);
  assert.equal(pub.status, 200);
  assert.deepEqual(Buffer.from(await pub.arrayBuffer()), png);

  const signed = await avatars.createSignedUrl(path, 60, { download: 'me.png' });
  assert.equal(signed.error, null);
  const viaSigned = await fetch(signed.data.signedUrl);
  assert.equal(viaSigned.status, 200);
  assert.match(viaSigned.headers.get('content-disposition'), /filename=me\.png/);
  assert.deepEqual(Buffer.from(await viaSigned.arrayBuffer()), png);

  const removed = await avatars.remove([path]);
  assert.equal(removed.error, null);
  assert.deepEqual(removed.data.map((o) => o.name), [path]);
  const gone = await avatars.download(path);
  assert.equal(gone.data, null);
  assert.equal(gone.error.statusCode, '404');
  assert.equal((await fetch(publicUrl)).status, 400);
  assert.equal((await fetch(signed.data.signedUrl)).status, 400);
});

test('a File from a browser form uploads as multipart with its type, cacheControl and metadata', async () => {
  const { supabase, user } = await signedUp();
  const avatars = supabase.storage.from('avatars');
  const path = `${user.id}-${randomUUID()}.jpg`;
  const file = new File([Buffer.from('JFIF image bytes')], 'me.jpg', { type: 'image/jpeg' });
  const up = await avatars.upload(path, file, { cacheControl: '60', metadata: { alt: 'me' } });
  assert.equal(up.error, null);
  const res = await fetch(avatars.getPublicUrl(path).data.publicUrl);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/jpeg');
  assert.equal(res.headers.get('cache-control'), 'max-age=60');
  assert.equal(await res.text(), 'JFIF image bytes');
  const info = await avatars.info(path);
  assert.deepEqual(info.data.metadata, { alt: 'me' });
});

test('a private bucket: anon is refused, each user sees only their own folder', async () => {
  const { supabase: alice, user: a } = await signedUp();
  const { supabase: bob } = await signedUp();
  const path = `${a.id}/notes.txt`;
  assert.equal((await alice.storage.from('documents').upload(path, 'for alice only', { contentType: 'text/plain' })).error, null);

  const anon = await client().storage.from('documents').upload(`${a.id}/x.txt`, 'nope', { contentType: 'text/plain' });
  assert.equal(anon.error.statusCode, '403');
  assert.equal(anon.error.message, 'new row violates row-level security policy');
  const intoOthers = await bob.storage.from('documents').upload(`${a.id}/x.txt`, 'nope', { contentType: 'text/plain' });
  assert.equal(intoOthers.error.statusCode, '403');

  assert.equal((await client().storage.from('documents').download(path)).error.statusCode, '404');
  assert.equal((await bob.storage.from('documents').download(path)).error.statusCode, '404');
  assert.deepEqual((await bob.storage.from('documents').list(a.id)).data, []);
  assert.equal((await bob.storage.from('documents').createSignedUrl(path, 60)).error.statusCode, '404');
  assert.equal((await bob.storage.from('documents').remove([path])).data.length, 0);
  assert.equal(await (await alice.storage.from('documents').download(path)).data.text(), 'for alice only');
  assert.equal((await client().storage.from('documents').getPublicUrl(path)).data.publicUrl.includes('/object/public/'), true);
  assert.equal((await fetch(client().storage.from('documents').getPublicUrl(path).data.publicUrl)).status, 400);
});

test('upsert: a second upload without it is 409 Duplicate, with it replaces the bytes', async () => {
  const { supabase, user } = await signedUp();
  const docs = supabase.storage.from('documents');
  const path = `${user.id}/draft.txt`;
  assert.equal((await docs.upload(path, 'one', { contentType: 'text/plain' })).error, null);
  const again = await docs.upload(path, 'two', { contentType: 'text/plain' });
  assert.equal(again.error.statusCode, '409');
  assert.equal(again.error.message, 'The resource already exists');
  assert.equal((await docs.upload(path, 'three', { contentType: 'text/plain', upsert: true })).error, null);
  assert.equal(await (await docs.download(path)).data.text(), 'three');
  assert.equal((await docs.update(path, 'four', { contentType: 'text/plain' })).error, null);
  assert.equal(await (await docs.download(path)).data.text(), 'four');
});

test('limits: a file over the bucket limit is 413, a refused MIME type 415', async () => {
  const { supabase, user } = await signedUp();
  const docs = supabase.storage.from('documents');
  const big = await docs.upload(`${user.id}/big.bin`, Buffer.alloc(1024 * 1024 + 1), { contentType: 'application/pdf' });
  assert.equal(big.error.statusCode, '413');
  const html = await docs.upload(`${user.id}/page.html`, '<p>hi</p>', { contentType: 'text/html' });
  assert.equal(html.error.statusCode, '415');
  assert.equal(html.error.message, 'mime type text/html is not supported');
  const image = await docs.upload(`${user.id}/pic.webp`, Buffer.from('RIFF'), { contentType: 'image/webp' });
  assert.equal(image.error, null);
});

test('signed upload URLs, move, copy, info and exists', async () => {
  const { supabase, user } = await signedUp();
  const docs = supabase.storage.from('documents');
  const path = `${user.id}/signed.txt`;
  const { data: signed, error } = await docs.createSignedUploadUrl(path);
  assert.equal(error, null);
  assert.ok(signed.token);
  assert.equal((await docs.uploadToSignedUrl(path, signed.token, 'uploaded with a token', { contentType: 'text/plain' })).error, null);
  assert.equal(await (await docs.download(path)).data.text(), 'uploaded with a token');
  const tampered = await docs.uploadToSignedUrl(`${user.id}/other.txt`, signed.token, 'x', { contentType: 'text/plain' });
  assert.equal(tampered.error.statusCode, '400');

  assert.equal((await docs.copy(path, `${user.id}/copy.txt`)).data.path, `documents/${user.id}/copy.txt`);
  assert.equal((await docs.move(path, `${user.id}/moved.txt`)).error, null);
  assert.equal((await docs.exists(path)).data, false);
  assert.equal((await docs.exists(`${user.id}/moved.txt`)).data, true);
  assert.equal(await (await docs.download(`${user.id}/copy.txt`)).data.text(), 'uploaded with a token');
  const info = await docs.info(`${user.id}/moved.txt`);
  assert.equal(info.error, null);
  assert.equal(info.data.size, 'uploaded with a token'.length);
  assert.equal(info.data.contentType, 'text/plain');

  const many = await docs.createSignedUrls([`${user.id}/moved.txt`, `${user.id}/missing.txt`], 60);
  assert.equal(many.error, null);
  assert.ok(many.data[0].signedUrl);
  assert.equal(many.data[1].error, 'Either the object does not exist or you do not have access to it');
});

test('buckets with the service_role key: create, get, update, empty, delete (refused while not empty)', async () => {
  const id = `b-${randomUUID()}`;
  assert.equal((await admin.storage.createBucket(id, { public: false, fileSizeLimit: '1MB', allowedMimeTypes: ['text/plain'] })).data.name, id);
  assert.equal((await admin.storage.createBucket(id)).error.statusCode, '409');
  const got = await admin.storage.getBucket(id);
  assert.equal(got.data.file_size_limit, 1000000);
  assert.deepEqual(got.data.allowed_mime_types, ['text/plain']);
  assert.equal((await admin.storage.updateBucket(id, { public: true })).error, null);
  assert.equal((await admin.storage.getBucket(id)).data.public, true);
  assert.ok((await admin.storage.listBuckets()).data.some((b) => b.id === id));
  assert.equal((await admin.storage.from(id).upload('a.txt', 'x', { contentType: 'text/plain' })).error, null);
  const notEmpty = await admin.storage.deleteBucket(id);
  assert.equal(notEmpty.error.statusCode, '409');
  assert.equal((await admin.storage.emptyBucket(id)).error, null);
  assert.equal((await admin.storage.deleteBucket(id)).error, null);
  assert.equal((await admin.storage.getBucket(id)).error.statusCode, '404');
  // Users cannot make buckets: storage.buckets has row-level security and no policy for them.
  const { supabase } = await signedUp();
  assert.equal((await supabase.storage.createBucket(`u-${randomUUID()}`)).error.statusCode, '403');
});
