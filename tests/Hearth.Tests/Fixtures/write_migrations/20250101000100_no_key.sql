-- A table without a primary key: an upsert has no conflict target there (PostgREST: a plain insert).
create table public.w_nokey (
  label text not null,
  n int not null
);
grant select, insert on public.w_nokey to anon;
