// Hearth's OpenAPI documents, checked with a real validator (@seriousme/openapi-schema-validator, pinned in
// package-lock.json): GET / (PostgREST's OpenAPI 2.0) and GET /openapi.json (OpenAPI 3.1), for the schema
// in ./schema as different roles see it. HEARTH_URL is set by run.sh.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';

const url = process.env.HEARTH_URL;
const secret = process.env.HEARTH_TEST_JWT_SECRET;
const b64 = (s) => Buffer.from(s).toString('base64url');
const token = (role) => {
  const input = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(JSON.stringify({ role, exp: 4102444800 }))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};

async function get(path, headers = {}) {
  const response = await fetch(url + path, { headers });
  assert.equal(response.status, 200, await response.clone().text());
  return { response, body: await response.json() };
}

async function assertValid(document, version) {
  const validator = new Validator();
  const result = await validator.validate(document);
  assert.equal(validator.version, version);
  assert.deepEqual(result.errors, undefined, JSON.stringify(result.errors, null, 2));
  assert.equal(result.valid, true);
}

test('GET / is a valid OpenAPI 2.0 document of the anon role\'s view of public', async () => {
  const { response, body } = await get('/');
  assert.match(response.headers.get('content-type'), /^application\/openapi\+json/);
  await assertValid(body, '2.0');
  assert.equal(body.info.title, 'Library API');
  assert.equal(body.info.description, 'The books and authors of a small library.');
  assert.deepEqual(Object.keys(body.paths).sort(), ['/', '/authors', '/books', '/rpc/add', '/titles']);
  assert.deepEqual(Object.keys(body.paths['/books']).sort(), ['delete', 'get', 'patch', 'post']);
  assert.deepEqual(Object.keys(body.paths['/authors']), ['get']); // select only
  assert.deepEqual(Object.keys(body.paths['/rpc/add']).sort(), ['get', 'post']);
  const authors = body.definitions.authors;
  assert.equal(authors.description, 'Authors');
  assert.equal(authors.properties.name.description, 'Full name');
  assert.equal(authors.properties.name.maxLength, 80);
  assert.deepEqual(authors.required, ['id', 'name']);
  const books = body.definitions.books.properties;
  assert.match(books.id.description, /This is a Primary Key\.<pk\/>/);
  assert.match(books.author_id.description, /<fk table='authors' column='id'\/>/);
  assert.deepEqual(books.genre.enum, ['fiction', 'poetry']);
  assert.equal(books.done.default, false);
  assert.deepEqual(body.parameters.preferPost.enum.slice(-2), ['resolution=ignore-duplicates', 'resolution=merge-duplicates']);
});

test('the same document answers at /rest/v1/ and follows the caller\'s privileges', async () => {
  // Supabase's gateway path wants an apikey, as supabase-js sends it.
  const { body } = await get('/rest/v1/', { apikey: token('anon'), Authorization: `Bearer ${token('authenticated')}` });
  await assertValid(body, '2.0');
  assert.ok(body.paths['/secrets'], 'authenticated may read secrets');
  assert.ok(body.paths['/rpc/touch'].post, 'and execute touch');
  assert.equal(body.paths['/rpc/touch'].get, undefined, 'a volatile function is POST only');
  const anon = (await get('/')).body;
  assert.equal(anon.paths['/secrets'], undefined);
  assert.equal(anon.paths['/rpc/touch'], undefined);
});

test('Accept-Profile picks the schema; an unexposed one is PGRST106', async () => {
  const { response, body } = await get('/', { 'Accept-Profile': 'other' });
  assert.equal(response.headers.get('content-profile'), 'other');
  await assertValid(body, '2.0');
  assert.deepEqual(Object.keys(body.paths).sort(), ['/', '/things']);
  const refused = await fetch(url + '/', { headers: { 'Accept-Profile': 'nope' } });
  assert.equal(refused.status, 406);
  assert.equal((await refused.json()).code, 'PGRST106');
});

test('GET /openapi.json is a valid OpenAPI 3.1 document of the same API', async () => {
  const { body } = await get('/openapi.json');
  await assertValid(body, '3.1');
  assert.deepEqual(Object.keys(body.paths).sort(), ['/authors', '/books', '/rpc/add', '/titles']);
  assert.deepEqual(body.components.schemas.books.properties.genre.type, ['string', 'null']);
  assert.equal(body.components.schemas.books.properties.title.type, 'string');
  assert.ok(body.paths['/books'].post.requestBody.$ref.endsWith('/requestBodies/books'));
  assert.deepEqual(body.paths['/rpc/add'].post.requestBody.content['application/json'].schema.required, ['a']);
  assert.equal(new URL(body.servers[0].url).origin, new URL(url).origin);
});

test('a bad token is a 401 here too', async () => {
  const response = await fetch(url + '/', { headers: { Authorization: 'Bearer not.a.token' } });
  assert.equal(response.status, 401);
});
