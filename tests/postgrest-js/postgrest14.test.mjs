// PostgREST 14 behaviours that ordinary postgrest-js calls reach: overloaded functions, count on a function
// returning one value, .maxAffected() on functions, .stripNulls(), .single() on a write. Schema: ./schema
// (010_postgrest14_rpc.sql and the shared tables).
//
//   HEARTH_URL=http://127.0.0.1:3000 node --test postgrest14.test.mjs

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PostgrestClient } from '@supabase/postgrest-js'

const HEARTH_URL = process.env.HEARTH_URL
if (!HEARTH_URL) throw new Error('Set HEARTH_URL, e.g. HEARTH_URL=http://127.0.0.1:3000')
const db = new PostgrestClient(HEARTH_URL.replace(/\/+$/, ''))

test('rpc() picks the overload whose parameter names match the arguments', async () => {
  assert.equal((await db.rpc('pg14_pick', { a: 1 })).data, 'one')
  assert.equal((await db.rpc('pg14_pick', { a: 1, b: 2 })).data, 'two')
})

test('rpc() on overloads it cannot tell apart is a 300 PGRST203 error', async () => {
  const res = await db.rpc('pg14_same', { a: 1 })
  assert.equal(res.status, 300)
  assert.equal(res.error.code, 'PGRST203')
  assert.match(res.error.message, /pg14_same\(a => integer\), public\.pg14_same\(a => text\)/)
})

test("rpc() with count: 'exact' on a function returning one value counts 1", async () => {
  const res = await db.rpc('pg14_pick', { a: 1 }, { count: 'exact' })
  assert.equal(res.error, null)
  assert.equal(res.count, 1)
})

test('maxAffected() on a set-returning function fails past the limit and passes within it', async () => {
  const over = await db.rpc('pg14_rows', { n: 3 }).maxAffected(2)
  assert.equal(over.status, 400)
  assert.equal(over.error.code, 'PGRST124')
  const within = await db.rpc('pg14_rows', { n: 2 }).maxAffected(2)
  assert.equal(within.error, null)
  assert.deepEqual(within.data, [1, 2])
})

test('stripNulls() leaves null fields out, for arrays and single objects', async () => {
  const many = await db.from('countries').select('id,capital').in('code', ['AQ', 'FR']).order('id').stripNulls()
  assert.equal(many.error, null)
  assert.deepEqual(many.data, [{ id: 1, capital: 'Paris' }, { id: 5 }])
  const one = await db.from('countries').select('id,capital').eq('code', 'AQ').single().stripNulls()
  assert.deepEqual(one.data, { id: 5 })
})

test('single() on an update matching two rows is 406 PGRST116 and changes nothing', async () => {
  const res = await db.from('tasks').update({ priority: 9 }).like('slug', 'pg14-single-*').single()
  assert.equal(res.status, 406)
  assert.equal(res.error.code, 'PGRST116')
  const after = await db.from('tasks').select('priority').like('slug', 'pg14-single-*')
  assert.deepEqual(after.data, [{ priority: 1 }, { priority: 1 }])
})
