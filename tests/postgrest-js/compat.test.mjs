// Compatibility tests: drive Hearth with the real @supabase/postgrest-js client and expect exactly what
// PostgREST (v12/v13+) answers for the same requests on the schema in ./schema.
//
//   HEARTH_URL=http://127.0.0.1:3000 node --test compat.test.mjs
//
// Read tests only touch countries/cities/films/actors/film_actors and channels/users/messages, which no test modifies. Write tests
// only touch `tasks`, each on its own slugs, so test order and a single run per fresh database are all
// that is assumed.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PostgrestClient } from '@supabase/postgrest-js'

const HEARTH_URL = process.env.HEARTH_URL
if (!HEARTH_URL) throw new Error('Set HEARTH_URL, e.g. HEARTH_URL=http://127.0.0.1:3000')

const db = new PostgrestClient(HEARTH_URL.replace(/\/+$/, ''))

// ---------------------------------------------------------------------------------------------------
// helpers

/** Asserts a successful response with the given status and returns its data. */
function ok(res, status = 200) {
  assert.equal(res.error, null, `expected no error, got ${JSON.stringify(res.error)} (status ${res.status})`)
  assert.equal(res.status, status, `expected status ${status}, got ${res.status}`)
  return res.data
}

/** Asserts a failed response with the given status and error code; returns the error. */
function failed(res, status, code) {
  assert.notEqual(res.error, null, `expected an error, got status ${res.status} data ${JSON.stringify(res.data)}`)
  assert.equal(res.error.code, code, `expected error code ${code}, got ${JSON.stringify(res.error)}`)
  assert.equal(res.status, status, `expected status ${status}, got ${res.status}`)
  assert.equal(res.data, null)
  assert.equal(typeof res.error.message, 'string')
  return res.error
}

const by = (key) => (a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0)
const sorted = (rows, key) => [...rows].sort(by(key))

const COUNTRIES = [
  { id: 1, code: 'FR', name: 'France', capital: 'Paris' },
  { id: 2, code: 'DE', name: 'Germany', capital: 'Berlin' },
  { id: 3, code: 'JP', name: 'Japan', capital: 'Tokyo' },
  { id: 4, code: 'GB', name: 'United Kingdom', capital: 'London' },
  { id: 5, code: 'AQ', name: 'Antarctica', capital: null },
]

// ---------------------------------------------------------------------------------------------------
// reads: plain select

test('select * returns every row of a table', async () => {
  const data = ok(await db.from('countries').select('*'))
  assert.deepEqual(sorted(data, 'id'), COUNTRIES)
})

test('select() without arguments is select *', async () => {
  const data = ok(await db.from('countries').select())
  assert.deepEqual(sorted(data, 'id'), COUNTRIES)
})

test('select picks and renames columns', async () => {
  const data = ok(await db.from('countries').select('id, iso:code'))
  assert.deepEqual(sorted(data, 'id'), [
    { id: 1, iso: 'FR' },
    { id: 2, iso: 'DE' },
    { id: 3, iso: 'JP' },
    { id: 4, iso: 'GB' },
    { id: 5, iso: 'AQ' },
  ])
})

test('array and jsonb columns come back as JSON', async () => {
  const data = ok(await db.from('films').select('id,genres,meta').eq('id', 2))
  assert.deepEqual(data, [
    { id: 2, genres: ['action', 'scifi', 'thriller'], meta: { language: 'en', rating: 'PG-13' } },
  ])
})

// ---------------------------------------------------------------------------------------------------
// reads: embedding

test('embed many-to-one as an object (with alias)', async () => {
  const data = ok(await db.from('cities').select('name, country:countries(code, name)'))
  assert.deepEqual(sorted(data, 'name'), [
    { name: 'Berlin', country: { code: 'DE', name: 'Germany' } },
    { name: 'London', country: { code: 'GB', name: 'United Kingdom' } },
    { name: 'Lyon', country: { code: 'FR', name: 'France' } },
    { name: 'Munich', country: { code: 'DE', name: 'Germany' } },
    { name: 'Osaka', country: { code: 'JP', name: 'Japan' } },
    { name: 'Paris', country: { code: 'FR', name: 'France' } },
    { name: 'Tokyo', country: { code: 'JP', name: 'Japan' } },
  ])
})

test('embed one-to-many as an array (empty array when no children)', async () => {
  const data = ok(await db.from('countries').select('code, cities(name)'))
  const normalized = sorted(data, 'code').map((c) => ({ ...c, cities: sorted(c.cities, 'name') }))
  assert.deepEqual(normalized, [
    { code: 'AQ', cities: [] },
    { code: 'DE', cities: [{ name: 'Berlin' }, { name: 'Munich' }] },
    { code: 'FR', cities: [{ name: 'Lyon' }, { name: 'Paris' }] },
    { code: 'GB', cities: [{ name: 'London' }] },
    { code: 'JP', cities: [{ name: 'Osaka' }, { name: 'Tokyo' }] },
  ])
})

test('embed one-to-many ordered by the referenced table', async () => {
  const data = ok(
    await db
      .from('countries')
      .select('code, cities(name)')
      .in('code', ['FR', 'JP'])
      .order('code')
      .order('name', { referencedTable: 'cities', ascending: false })
  )
  assert.deepEqual(data, [
    { code: 'FR', cities: [{ name: 'Paris' }, { name: 'Lyon' }] },
    { code: 'JP', cities: [{ name: 'Tokyo' }, { name: 'Osaka' }] },
  ])
})

test('embed many-to-many through the junction table', async () => {
  const data = ok(await db.from('films').select('title, actors(name)'))
  const normalized = sorted(data, 'title').map((f) => ({ ...f, actors: sorted(f.actors, 'name') }))
  assert.deepEqual(normalized, [
    { title: 'Amelie', actors: [{ name: 'Audrey Tautou' }] },
    { title: 'Inception', actors: [{ name: 'Elliot Page' }, { name: 'Leonardo DiCaprio' }] },
    { title: 'Parasite', actors: [{ name: 'Song Kang-ho' }] },
    { title: 'Spirited Away', actors: [] },
    { title: 'The Matrix', actors: [{ name: 'Carrie-Anne Moss' }, { name: 'Keanu Reeves' }] },
  ])
})

test('embed the junction table and nest its many-to-one', async () => {
  const data = ok(await db.from('films').select('title, film_actors(role, actors(name))').eq('id', 1))
  assert.equal(data.length, 1)
  assert.deepEqual(data[0].title, 'The Matrix')
  assert.deepEqual(sorted(data[0].film_actors, 'role'), [
    { role: 'Neo', actors: { name: 'Keanu Reeves' } },
    { role: 'Trinity', actors: { name: 'Carrie-Anne Moss' } },
  ])
})

test('!inner embedding filters the parent rows', async () => {
  const data = ok(await db.from('cities').select('name, countries!inner(code)').eq('countries.code', 'JP'))
  assert.deepEqual(sorted(data, 'name'), [
    { name: 'Osaka', countries: { code: 'JP' } },
    { name: 'Tokyo', countries: { code: 'JP' } },
  ])
})

test('filter on an embedded resource without !inner keeps the parent with null', async () => {
  const data = ok(
    await db.from('cities').select('name, countries(code)').in('id', [1, 3]).eq('countries.code', 'FR')
  )
  assert.deepEqual(sorted(data, 'name'), [
    { name: 'Berlin', countries: null },
    { name: 'Paris', countries: { code: 'FR' } },
  ])
})

// ---------------------------------------------------------------------------------------------------
// reads: filters

test('eq', async () => {
  const data = ok(await db.from('countries').select('id, name').eq('code', 'FR'))
  assert.deepEqual(data, [{ id: 1, name: 'France' }])
})

test('neq', async () => {
  const data = ok(await db.from('cities').select('name').neq('country_id', 1))
  assert.deepEqual(sorted(data, 'name'), [
    { name: 'Berlin' },
    { name: 'London' },
    { name: 'Munich' },
    { name: 'Osaka' },
    { name: 'Tokyo' },
  ])
})

test('gt', async () => {
  const data = ok(await db.from('films').select('title').gt('year', 2001))
  assert.deepEqual(sorted(data, 'title'), [{ title: 'Inception' }, { title: 'Parasite' }])
})

test('gte', async () => {
  const data = ok(await db.from('films').select('title').gte('year', 2001))
  assert.deepEqual(sorted(data, 'title'), [
    { title: 'Amelie' },
    { title: 'Inception' },
    { title: 'Parasite' },
    { title: 'Spirited Away' },
  ])
})

test('lt', async () => {
  const data = ok(await db.from('films').select('title').lt('year', 2001))
  assert.deepEqual(data, [{ title: 'The Matrix' }])
})

test('lte', async () => {
  const data = ok(await db.from('films').select('title').lte('year', 2001))
  assert.deepEqual(sorted(data, 'title'), [{ title: 'Amelie' }, { title: 'Spirited Away' }, { title: 'The Matrix' }])
})

test('gte and lt combined (AND)', async () => {
  const data = ok(await db.from('cities').select('name').gte('population', 2100000).lt('population', 8800000))
  assert.deepEqual(sorted(data, 'name'), [{ name: 'Berlin' }, { name: 'Osaka' }, { name: 'Paris' }])
})

test('in', async () => {
  const data = ok(await db.from('countries').select('code').in('code', ['FR', 'JP', 'XX']))
  assert.deepEqual(sorted(data, 'code'), [{ code: 'FR' }, { code: 'JP' }])
})

test('in with values that need quoting', async () => {
  const data = ok(await db.from('countries').select('id').in('name', ['United Kingdom', 'Japan']))
  assert.deepEqual(sorted(data, 'id'), [{ id: 3 }, { id: 4 }])
})

test('ilike', async () => {
  const data = ok(await db.from('countries').select('name').ilike('name', '%AN%'))
  assert.deepEqual(sorted(data, 'name'), [
    { name: 'Antarctica' },
    { name: 'France' },
    { name: 'Germany' },
    { name: 'Japan' },
  ])
})

test('like is case sensitive', async () => {
  const data = ok(await db.from('countries').select('name').like('name', '%an%'))
  assert.deepEqual(sorted(data, 'name'), [{ name: 'France' }, { name: 'Germany' }, { name: 'Japan' }])
})

test('is null', async () => {
  const data = ok(await db.from('countries').select('code').is('capital', null))
  assert.deepEqual(data, [{ code: 'AQ' }])
})

test('or', async () => {
  const data = ok(await db.from('films').select('title').or('year.lt.2000,year.gt.2015'))
  assert.deepEqual(sorted(data, 'title'), [{ title: 'Parasite' }, { title: 'The Matrix' }])
})

test('or with a nested and', async () => {
  const data = ok(await db.from('films').select('title').or('id.eq.1,and(year.eq.2001,title.like.S*)'))
  assert.deepEqual(sorted(data, 'title'), [{ title: 'Spirited Away' }, { title: 'The Matrix' }])
})

test('not is null', async () => {
  const data = ok(await db.from('countries').select('code').not('capital', 'is', null))
  assert.deepEqual(sorted(data, 'code'), [{ code: 'DE' }, { code: 'FR' }, { code: 'GB' }, { code: 'JP' }])
})

test('not in', async () => {
  const data = ok(await db.from('countries').select('code').not('code', 'in', '(FR,DE,GB)'))
  assert.deepEqual(sorted(data, 'code'), [{ code: 'AQ' }, { code: 'JP' }])
})

test('contains on a text[] column', async () => {
  const data = ok(await db.from('films').select('title').contains('genres', ['action', 'thriller']))
  assert.deepEqual(data, [{ title: 'Inception' }])
})

test('contains on a jsonb column', async () => {
  const data = ok(await db.from('films').select('title').contains('meta', { rating: 'R' }))
  assert.deepEqual(sorted(data, 'title'), [{ title: 'Amelie' }, { title: 'Parasite' }, { title: 'The Matrix' }])
})

test('textSearch (to_tsquery) with a config', async () => {
  const data = ok(await db.from('films').select('title').textSearch('fts', 'dream', { config: 'english' }))
  assert.deepEqual(data, [{ title: 'Inception' }])
})

test('textSearch plain', async () => {
  const data = ok(
    await db.from('films').select('title').textSearch('fts', 'spirits world', { type: 'plain', config: 'english' })
  )
  assert.deepEqual(data, [{ title: 'Spirited Away' }])
})

test('textSearch websearch', async () => {
  const data = ok(
    await db.from('films').select('title').textSearch('fts', 'hacker or thief', { type: 'websearch', config: 'english' })
  )
  assert.deepEqual(sorted(data, 'title'), [{ title: 'Inception' }, { title: 'The Matrix' }])
})

// ---------------------------------------------------------------------------------------------------
// reads: order, limit, range

test('order by one column descending', async () => {
  const data = ok(await db.from('cities').select('name').order('population', { ascending: false }))
  assert.deepEqual(
    data.map((r) => r.name),
    ['Tokyo', 'London', 'Berlin', 'Osaka', 'Paris', 'Munich', 'Lyon']
  )
})

test('order by two columns', async () => {
  const data = ok(await db.from('films').select('year, title').order('year').order('title', { ascending: false }))
  assert.deepEqual(data, [
    { year: 1999, title: 'The Matrix' },
    { year: 2001, title: 'Spirited Away' },
    { year: 2001, title: 'Amelie' },
    { year: 2010, title: 'Inception' },
    { year: 2019, title: 'Parasite' },
  ])
})

test('order with nullsFirst', async () => {
  const data = ok(await db.from('countries').select('code').order('capital', { nullsFirst: true }))
  assert.deepEqual(
    data.map((r) => r.code),
    ['AQ', 'DE', 'GB', 'FR', 'JP']
  )
})

test('limit', async () => {
  const data = ok(await db.from('films').select('id').order('id').limit(2))
  assert.deepEqual(data, [{ id: 1 }, { id: 2 }])
})

test('range', async () => {
  const data = ok(await db.from('films').select('id').order('id').range(1, 3))
  assert.deepEqual(data, [{ id: 2 }, { id: 3 }, { id: 4 }])
})

// ---------------------------------------------------------------------------------------------------
// reads: single / maybeSingle

test('single() returns one object', async () => {
  const data = ok(await db.from('countries').select('id, name').eq('code', 'JP').single())
  assert.deepEqual(data, { id: 3, name: 'Japan' })
})

test('single() with zero rows is a 406 PGRST116', async () => {
  failed(await db.from('countries').select('id').eq('code', 'XX').single(), 406, 'PGRST116')
})

test('single() with several rows is a 406 PGRST116', async () => {
  failed(await db.from('countries').select('id').in('code', ['FR', 'DE']).single(), 406, 'PGRST116')
})

test('maybeSingle() with one row returns the object', async () => {
  const data = ok(await db.from('countries').select('name').eq('code', 'DE').maybeSingle())
  assert.deepEqual(data, { name: 'Germany' })
})

test('maybeSingle() with zero rows returns null', async () => {
  const res = await db.from('countries').select('name').eq('code', 'XX').maybeSingle()
  assert.equal(ok(res), null)
})

test('maybeSingle() with several rows is a PGRST116 error', async () => {
  failed(await db.from('countries').select('name').in('code', ['FR', 'DE']).maybeSingle(), 406, 'PGRST116')
})

// ---------------------------------------------------------------------------------------------------
// reads: count, head, csv

test("select('*', { count: 'exact' })", async () => {
  const res = await db.from('countries').select('*', { count: 'exact' })
  const data = ok(res)
  assert.equal(res.count, 5)
  assert.deepEqual(sorted(data, 'id'), COUNTRIES)
})

test('exact count with a filter', async () => {
  const res = await db.from('cities').select('name', { count: 'exact' }).eq('country_id', 1)
  assert.deepEqual(sorted(ok(res), 'name'), [{ name: 'Lyon' }, { name: 'Paris' }])
  assert.equal(res.count, 2)
})

test('exact count with limit is a 206 with the total count', async () => {
  const res = await db.from('countries').select('id', { count: 'exact' }).order('id').limit(2)
  assert.deepEqual(ok(res, 206), [{ id: 1 }, { id: 2 }])
  assert.equal(res.count, 5)
})

test("{ count: 'exact', head: true } returns only the count", async () => {
  const res = await db.from('cities').select('*', { count: 'exact', head: true })
  assert.equal(ok(res), null)
  assert.equal(res.count, 7)
})

test("{ count: 'exact', head: true } with a filter", async () => {
  const res = await db.from('films').select('*', { count: 'exact', head: true }).gte('year', 2001)
  assert.equal(ok(res), null)
  assert.equal(res.count, 4)
})

test('csv()', async () => {
  const data = ok(await db.from('countries').select('id, code, name, capital').order('id').csv())
  assert.equal(
    data,
    'id,code,name,capital\n' +
      '1,FR,France,Paris\n' +
      '2,DE,Germany,Berlin\n' +
      '3,JP,Japan,Tokyo\n' +
      '4,GB,"United Kingdom",London\n' +
      '5,AQ,Antarctica,'
  )
})

// ---------------------------------------------------------------------------------------------------
// writes (table `tasks` only; every test uses its own slugs)

test('insert a single row with .select() is a 201 with the row', async () => {
  const res = await db
    .from('tasks')
    .insert({ slug: 'insert-single', title: 'Inserted', priority: 3 })
    .select('id, slug, title, done, priority')
  const data = ok(res, 201)
  assert.equal(data.length, 1)
  assert.equal(typeof data[0].id, 'number')
  const { id, ...rest } = data[0]
  assert.deepEqual(rest, { slug: 'insert-single', title: 'Inserted', done: false, priority: 3 })

  const check = ok(await db.from('tasks').select('id, title').eq('slug', 'insert-single'))
  assert.deepEqual(check, [{ id, title: 'Inserted' }])
})

test('bulk insert with .select() is a 201 with all rows', async () => {
  const res = await db
    .from('tasks')
    .insert([
      { slug: 'bulk-a', title: 'Bulk A', done: true },
      { slug: 'bulk-b', title: 'Bulk B', done: false },
      { slug: 'bulk-c', title: 'Bulk C', done: true },
    ])
    .select('slug, title, done, priority')
  assert.deepEqual(sorted(ok(res, 201), 'slug'), [
    { slug: 'bulk-a', title: 'Bulk A', done: true, priority: 0 },
    { slug: 'bulk-b', title: 'Bulk B', done: false, priority: 0 },
    { slug: 'bulk-c', title: 'Bulk C', done: true, priority: 0 },
  ])
})

test('insert without .select() is a 201 with no data', async () => {
  const res = await db.from('tasks').insert({ slug: 'insert-minimal', title: 'Minimal' })
  assert.equal(ok(res, 201), null)
  const check = ok(await db.from('tasks').select('title, done').eq('slug', 'insert-minimal'))
  assert.deepEqual(check, [{ title: 'Minimal', done: false }])
})

test('insert of a duplicate key is a 409 23505', async () => {
  const res = await db.from('tasks').insert({ slug: 'duplicate-me', title: 'Again' }).select()
  failed(res, 409, '23505')
  const check = ok(await db.from('tasks').select('title').eq('slug', 'duplicate-me'))
  assert.deepEqual(check, [{ title: 'Already here' }])
})

test('upsert with onConflict inserts new and merges existing rows (201)', async () => {
  const res = await db
    .from('tasks')
    .upsert(
      [
        { slug: 'upsert-existing', title: 'Merged title' },
        { slug: 'upsert-new', title: 'Fresh' },
      ],
      { onConflict: 'slug' }
    )
    .select('slug, title, done, priority')
  assert.deepEqual(sorted(ok(res, 201), 'slug'), [
    // columns not in the payload keep their values on the merged row
    { slug: 'upsert-existing', title: 'Merged title', done: true, priority: 5 },
    { slug: 'upsert-new', title: 'Fresh', done: false, priority: 0 },
  ])
  const check = ok(await db.from('tasks').select('slug, title').in('slug', ['upsert-existing', 'upsert-new']))
  assert.deepEqual(sorted(check, 'slug'), [
    { slug: 'upsert-existing', title: 'Merged title' },
    { slug: 'upsert-new', title: 'Fresh' },
  ])
})

test('upsert that only updates existing rows is a 200', async () => {
  const res = await db
    .from('tasks')
    .upsert({ slug: 'upsert-update-only', title: 'After upsert', priority: 8 }, { onConflict: 'slug' })
    .select('slug, title, done, priority')
  assert.deepEqual(ok(res, 200), [{ slug: 'upsert-update-only', title: 'After upsert', done: false, priority: 8 }])
})

test('upsert with ignoreDuplicates leaves the existing row alone', async () => {
  const res = await db
    .from('tasks')
    .upsert({ slug: 'upsert-ignored', title: 'Should not win' }, { onConflict: 'slug', ignoreDuplicates: true })
    .select('slug, title')
  assert.deepEqual(ok(res, 201), [])
  const check = ok(await db.from('tasks').select('title, priority').eq('slug', 'upsert-ignored'))
  assert.deepEqual(check, [{ title: 'Keep me', priority: 3 }])
})

test('update + filter + .select() is a 200 with the updated rows', async () => {
  const res = await db
    .from('tasks')
    .update({ done: true, priority: 9 })
    .eq('slug', 'update-me')
    .select('slug, title, done, priority')
  assert.deepEqual(ok(res, 200), [{ slug: 'update-me', title: 'Update me', done: true, priority: 9 }])
})

test('update of several rows with .select()', async () => {
  const res = await db
    .from('tasks')
    .update({ title: 'Batch done', done: true })
    .like('slug', 'update-many-%')
    .select('slug, title, done, priority')
  assert.deepEqual(sorted(ok(res, 200), 'slug'), [
    { slug: 'update-many-1', title: 'Batch done', done: true, priority: 7 },
    { slug: 'update-many-2', title: 'Batch done', done: true, priority: 7 },
  ])
})

test('update without .select() is a 204', async () => {
  const res = await db.from('tasks').update({ title: 'Quietly updated' }).eq('slug', 'update-quiet')
  assert.equal(ok(res, 204), null)
  const check = ok(await db.from('tasks').select('title').eq('slug', 'update-quiet'))
  assert.deepEqual(check, [{ title: 'Quietly updated' }])
})

test('update matching no rows with .select() is a 200 with []', async () => {
  const res = await db.from('tasks').update({ title: 'Nobody' }).eq('slug', 'no-such-task').select('slug')
  assert.deepEqual(ok(res, 200), [])
})

test('delete + filter + .select() is a 200 with the deleted rows', async () => {
  const res = await db.from('tasks').delete().eq('slug', 'delete-me').select('slug, title, priority')
  assert.deepEqual(ok(res, 200), [{ slug: 'delete-me', title: 'Delete me', priority: 4 }])
  const check = ok(await db.from('tasks').select('slug').eq('slug', 'delete-me'))
  assert.deepEqual(check, [])
})

test('delete without .select() is a 204', async () => {
  const res = await db.from('tasks').delete().eq('slug', 'delete-quiet')
  assert.equal(ok(res, 204), null)
  const check = ok(await db.from('tasks').select('slug').eq('slug', 'delete-quiet'))
  assert.deepEqual(check, [])
})

// ---------------------------------------------------------------------------------------------------
// rpc

test('rpc() with arguments returns a scalar', async () => {
  const data = ok(await db.rpc('add', { a: 2, b: 3 }))
  assert.equal(data, 5)
})

test('rpc() with { get: true }', async () => {
  const data = ok(await db.rpc('add', { a: 20, b: 22 }, { get: true }))
  assert.equal(data, 42)
})

test('rpc() on a setof function returns rows', async () => {
  const data = ok(await db.rpc('films_since', { from_year: 2010 }).select('title, year'))
  assert.deepEqual(sorted(data, 'year'), [
    { title: 'Inception', year: 2010 },
    { title: 'Parasite', year: 2019 },
  ])
})

test('rpc() on a setof function with filters and order', async () => {
  const data = ok(
    await db
      .rpc('films_since', { from_year: 2001 })
      .select('title, year')
      .gte('year', 2001)
      .lte('year', 2010)
      .order('year', { ascending: false })
      .order('title')
  )
  assert.deepEqual(data, [
    { title: 'Inception', year: 2010 },
    { title: 'Amelie', year: 2001 },
    { title: 'Spirited Away', year: 2001 },
  ])
})

test('rpc() GET on a setof function with filters and order', async () => {
  const data = ok(
    await db.rpc('films_since', { from_year: 2000 }, { get: true }).select('id').neq('id', 3).order('id')
  )
  assert.deepEqual(data, [{ id: 2 }, { id: 4 }, { id: 5 }])
})

test('rpc() on a returns-table function with filters and order', async () => {
  const data = ok(await db.rpc('country_city_counts').gte('city_count', 2).order('code'))
  assert.deepEqual(data, [
    { code: 'DE', city_count: 2 },
    { code: 'FR', city_count: 2 },
    { code: 'JP', city_count: 2 },
  ])
})

// ---------------------------------------------------------------------------------------------------
// computed fields and relationships (functions of a table's row), count in an embed

test('computed relationship: select id, all_messages:get_messages(*)', async () => {
  const data = ok(await db.from('channels').select('id, all_messages:get_messages(*)').order('id'))
  assert.deepEqual(
    data.map((c) => ({ id: c.id, ids: c.all_messages.map((m) => m.id).sort() })),
    [{ id: 1, ids: [1, 3, 4] }, { id: 2, ids: [2] }, { id: 3, ids: [] }]
  )
  assert.deepEqual(Object.keys(data[1].all_messages[0]), ['id', 'channel_id', 'username', 'message'])
})

test('computed relationship with !inner, embedded filter, order and limit', async () => {
  const data = ok(
    await db
      .from('channels')
      .select('slug, get_messages!inner(id)')
      .eq('get_messages.username', 'supabot')
      .order('id', { referencedTable: 'get_messages', ascending: false })
      .limit(1, { referencedTable: 'get_messages' })
      .order('id')
  )
  assert.deepEqual(data, [
    { slug: 'public', get_messages: [{ id: 1 }] },
    { slug: 'random', get_messages: [{ id: 2 }] },
  ])
})

test('to-one computed relationship embeds an object, nested', async () => {
  const data = ok(await db.from('messages').select('id, channel(slug, get_messages(id))').eq('id', 2))
  assert.deepEqual(data, [{ id: 2, channel: { slug: 'random', get_messages: [{ id: 2 }] } }])
})

test('computed field in select, filter and order; * leaves it out', async () => {
  const data = ok(await db.from('messages').select('id, blurb_message').like('blurb_message', '%e%').order('blurb_message'))
  assert.deepEqual(data, [
    { id: 1, blurb_message: 'Hello Worl' },
    { id: 2, blurb_message: 'Perfection' },
    { id: 4, blurb_message: 'Realtime i' },
    { id: 3, blurb_message: 'Supabase L' },
  ])
  const star = ok(await db.from('messages').select('*').eq('id', 1).single())
  assert.equal('blurb_message' in star, false)
})

test('computed field inside an embed: messages(*, blurb_message)', async () => {
  const data = ok(await db.from('users').select('username, messages(id, blurb_message)').eq('username', 'kiwicopple'))
  assert.deepEqual(data, [{ username: 'kiwicopple', messages: [{ id: 3, blurb_message: 'Supabase L' }] }])
})

test("select('messages(count)') counts the embedded rows", async () => {
  const data = ok(await db.from('users').select('username, messages(count)').order('username'))
  assert.deepEqual(data, [
    { username: 'dragarcia', messages: [{ count: 1 }] },
    { username: 'kiwicopple', messages: [{ count: 1 }] },
    { username: 'supabot', messages: [{ count: 2 }] },
  ])
  const nested = ok(await db.from('users').select('messages(channels(count))').eq('username', 'supabot'))
  assert.deepEqual(nested, [{ messages: [{ channels: { count: 1 } }, { channels: { count: 1 } }] }])
})

// ---------------------------------------------------------------------------------------------------
// errors

test('unknown table is a 404 PGRST205', async () => {
  const error = failed(await db.from('no_such_table').select('*'), 404, 'PGRST205')
  assert.equal(error.message, "Could not find the table 'public.no_such_table' in the schema cache")
})

test('unknown column in select is a 400 42703', async () => {
  failed(await db.from('countries').select('id, no_such_column'), 400, '42703')
})

test('unknown column in a filter is a 400 42703', async () => {
  failed(await db.from('countries').select('id').eq('no_such_column', 1), 400, '42703')
})

// ---------------------------------------------------------------------------------------------------
// auth: the client sends a JWT as supabase-js does (Authorization: Bearer …); RLS on its claims

import { createHmac } from 'node:crypto'

const b64url = (s) => Buffer.from(s).toString('base64url')
function jwt(claims, secret = process.env.HEARTH_JWT_SECRET) {
  const input = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}
const exp = () => Math.floor(Date.now() / 1000) + 600
const as = (token) => new PostgrestClient(HEARTH_URL.replace(/\/+$/, ''), { headers: { Authorization: `Bearer ${token}` } })

test('auth: each user sees and changes only their own rows (RLS on request.jwt.claims)', async () => {
  const alice = as(jwt({ role: 'authenticated', sub: 'alice', exp: exp() }))
  const bob = as(jwt({ role: 'authenticated', sub: 'bob', exp: exp() }))
  ok(await alice.from('private_notes').insert({ body: 'alice note' }), 201)
  ok(await bob.from('private_notes').insert({ body: 'bob note' }), 201)
  assert.deepEqual(ok(await alice.from('private_notes').select('owner,body')), [{ owner: 'alice', body: 'alice note' }])
  assert.deepEqual(ok(await bob.from('private_notes').select('owner,body')), [{ owner: 'bob', body: 'bob note' }])
  // Bob's update of Alice's note matches no row of his.
  assert.deepEqual(ok(await bob.from('private_notes').update({ body: 'hijacked' }).eq('owner', 'alice').select()), [])
  failed(await alice.from('private_notes').insert({ body: 'planted', owner: 'bob' }), 403, '42501')
  // Anonymous requests have no policy: no rows.
  assert.deepEqual(ok(await db.from('private_notes').select('body')), [])
})

test('auth: a forged or expired token is refused with PGRST301 / PGRST303', async () => {
  failed(await as(jwt({ role: 'authenticated', exp: exp() }, 'not-the-secret-not-the-secret-not-the')).from('private_notes').select(), 401, 'PGRST301')
  failed(await as(jwt({ role: 'authenticated', exp: 1000 })).from('private_notes').select(), 401, 'PGRST303')
})
