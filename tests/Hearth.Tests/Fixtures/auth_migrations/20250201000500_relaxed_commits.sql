-- Relaxed durability as a per-role choice (README "Durability"): the role's writes commit without waiting
-- for their WAL flush; every other role keeps synchronous_commit = on. The default records the setting
-- each insert's transaction ran with.
create role relaxed_writer nologin noinherit;
grant relaxed_writer to authenticator;
alter role relaxed_writer set synchronous_commit = off;
create table public.events (id bigint generated always as identity primary key, body text not null,
  commit_mode text not null default current_setting('synchronous_commit'));
grant select, insert on public.events to relaxed_writer, authenticated;
