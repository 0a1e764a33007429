-- Row-level security on the JWT's subject, as supabase-js apps write it.
create table public.private_notes (
  id serial primary key,
  owner text not null default (current_setting('request.jwt.claims', true)::json->>'sub'),
  body text not null
);
alter table public.private_notes enable row level security;
create policy own_notes on public.private_notes for all to authenticated
  using (owner = current_setting('request.jwt.claims', true)::json->>'sub')
  with check (owner = current_setting('request.jwt.claims', true)::json->>'sub');
grant select, insert, update, delete on public.private_notes to authenticated;
grant usage on sequence public.private_notes_id_seq to authenticated;
