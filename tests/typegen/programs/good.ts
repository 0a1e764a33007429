// Must compile: typed selects (with embeds), inserts, updates, rpc and the helper types, against the
// types `hearth gen types typescript` printed for ../migrations.
import { createClient } from '@supabase/supabase-js'
import { Constants } from '../generated/database.types'
import type { CompositeTypes, Database, Enums, Tables, TablesInsert, TablesUpdate } from '../generated/database.types'

const supabase = createClient<Database>('http://127.0.0.1:3000', 'anon-key')

export async function usesTheTypes() {
  const { data: books, error } = await supabase.from('books').select('id, title, tags, meta, authors(name, mood)')
  if (error || !books) return
  const title: string = books[0].title
  const tags: string[] = books[0].tags
  const author: string = books[0].authors.name // many-to-one over a NOT NULL key: an object
  const mood: Enums<'mood'> | null = books[0].authors.mood

  const { data: detail } = await supabase.from('book_details').select('blurb, books(title)').eq('book_id', 1).single()
  const detailTitle: string | undefined = detail?.books.title // one-to-one

  const { data: authorsWithBooks } = await supabase.from('authors').select('name, books(title, pages)')
  const pages: (number | null)[] | undefined = authorsWithBooks?.[0].books.map((b) => b.pages) // one-to-many: an array

  const insert: TablesInsert<'books'> = { title: 'Solaris', author_id: 2 } // id, tags, meta, pages optional
  await supabase.from('books').insert(insert)
  await supabase.from('authors').insert({ name: 'Lem', mood: 'so-so', home: { street: 'x', zip: 1 } })
  const patch: TablesUpdate<'books'> = { pages: 204 }
  await supabase.from('books').update(patch).eq('id', 1)

  const { data: sum } = await supabase.rpc('add', { a: 1 }) // b has a default
  const total: number | null = sum
  const { data: byAuthor } = await supabase.rpc('books_by_author', { author: 2 })
  const titles: string[] | undefined = byAuthor?.map((b) => b.title.toUpperCase())

  const { data: view } = await supabase.from('book_titles').select('title')
  const viewTitle: string | null | undefined = view?.[0].title

  const row: Tables<'authors'> = { id: 1, name: 'Le Guin', mood: null, home: null }
  const address: CompositeTypes<'address'> = { street: null, zip: 12345 }
  const moods: readonly Enums<'mood'>[] = Constants.public.Enums.mood
  return { title, tags, author, mood, detailTitle, pages, total, titles, viewTitle, row, address, moods }
}
