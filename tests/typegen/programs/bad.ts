// Must NOT compile: each line marked with an "expect" comment is a mistake the generated types catch.
import { createClient } from '@supabase/supabase-js'
import type { Database, TablesInsert } from '../generated/database.types'

const supabase = createClient<Database>('http://127.0.0.1:3000', 'anon-key')

export async function mistakes() {
  await supabase.from('bookz').select() // expect error: no such table
  await supabase.from('books').insert({ titel: 'Solaris', author_id: 2 }) // expect error: wrong column name
  await supabase.from('books').insert({ title: 42, author_id: 2 }) // expect error: wrong value type
  await supabase.from('books').update({ pages: 'many' }).eq('id', 1) // expect error: wrong value type
  await supabase.from('authors').insert({ id: 5, name: 'x' }) // expect error: id is GENERATED ALWAYS
  await supabase.from('authors').insert({ name: 'x', mood: 'angry' }) // expect error: not an enum label
  await supabase.rpc('add', { a: 'one' }) // expect error: wrong argument type
  const { data } = await supabase.from('books').select('id, title').single()
  const pages: number = data!.pages // expect error: column not selected
  const missing: TablesInsert<'books'> = { title: 'x' } // expect error: author_id is required
  return { pages, missing }
}
