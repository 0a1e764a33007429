// PostgREST 14's "Perhaps you meant …" hints on what postgrest-js users mistype (a table, an embed, a function,
// its arguments), and bare count beside other columns (PostgreSQL's 42803, as PostgREST passes it on).
// Schema: ./schema (films/actors through film_actors, pg14_pick(a) and pg14_pick(a, b)).
//
//   HEARTH_URL=http://127.0.0.1:3000 node --test hints.test.mjs

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PostgrestClient } from '@supabase/postgrest-js'

const HEARTH_URL = process.env.HEARTH_URL
if (!HEARTH_URL) throw new Error('Set HEARTH_URL, e.g. HEARTH_URL=http://127.0.0.1:3000')
const db = new PostgrestClient(HEARTH_URL.replace(/\/+$/, ''))

test('a misspelt table is 404 PGRST205 naming the close table', async () => {
  const res = await db.from('film').select('*')
  assert.equal(res.status, 404)
  assert.equal(res.error.code, 'PGRST205')
  assert.equal(res.error.hint, "Perhaps you meant the table 'public.films'")
  assert.equal((await db.from('nothing_like_it').select('*')).error.hint, null)
})

test('a misspelt embed is 400 PGRST200 naming the close related table', async () => {
  const res = await db.from('films').select('title, actor(name)')
  assert.equal(res.status, 400)
  assert.equal(res.error.code, 'PGRST200')
  assert.equal(res.error.hint, "Perhaps you meant 'actors' instead of 'actor'.")
})

test('a misspelt function or argument is 404 PGRST202 naming the close function or parameters', async () => {
  const name = await db.rpc('pg14_pik', { a: 1 })
  assert.equal(name.status, 404)
  assert.equal(name.error.code, 'PGRST202')
  assert.equal(name.error.hint, 'Perhaps you meant to call the function public.pg14_pick')
  const args = await db.rpc('pg14_pick', { b: 1 })
  assert.equal(args.error.code, 'PGRST202')
  assert.equal(args.error.hint, 'Perhaps you meant to call the function public.pg14_pick(a, b)')
})

test("select('…(count)') counts; count beside other columns of the embed is 42803", async () => {
  const ok = await db.from('films').select('id, film_actors(count)').eq('id', 1)
  assert.equal(ok.error, null)
  assert.equal(ok.data.length, 1)
  assert.equal(typeof ok.data[0].film_actors[0].count, 'number')
  const mixed = await db.from('films').select('id, film_actors(actor_id, count)')
  assert.equal(mixed.status, 400)
  assert.equal(mixed.error.code, '42803')
  assert.equal(mixed.error.message, 'column "film_actors_1.actor_id" must appear in the GROUP BY clause or be used in an aggregate function')
})
