-- PostgREST 14 behaviours: overloads, raw bodies, max-affected on functions, missing=default sequences, upserts.
create function public.w_same(a int) returns text language sql immutable as $$ select 'int' $$;
create function public.w_same(a text) returns text language sql immutable as $$ select 'text' $$;
create function public.w_arity(a int) returns text language sql immutable as $$ select 'one' $$;
create function public.w_arity(a int, b int) returns text language sql immutable as $$ select 'two' $$;
create function public.w_opt(a int, b int default 0) returns int language sql immutable as $$ select a + b $$;
create function public.w_raw_text(text) returns text language sql immutable as $$ select 'got ' || $1 $$;
create function public.w_raw_bytes(bytea) returns int language sql immutable as $$ select length($1) $$;
create function public.w_raw_xml(xml) returns text language sql immutable as $$ select (xpath('/a/text()', $1))[1]::text $$;
create function public.w_two_json(json) returns text language sql immutable as $$ select 'json' $$;
create function public.w_two_json(jsonb) returns text language sql immutable as $$ select 'jsonb' $$;

-- Returns n rows and logs the call: with max-affected exceeded the log row must be rolled back.
create function public.w_logged_rows(n int, tag text) returns setof int language sql volatile as $$
  insert into public.w_log(msg) values (tag);
  select generate_series(1, n);
$$;
create function public.w_logged_void(tag text) returns void language sql volatile as $$
  insert into public.w_log(msg) values (tag);
$$;

create table public.w_seq (id serial primary key, label text not null);
create table public.w_users (username text primary key, score int not null default 0);
insert into public.w_users values ('ada', 5);
create table public.w_sparse (id int primary key, a text, b int);
insert into public.w_sparse values (1, 'x', null), (2, null, 7);

grant select, insert, update, delete on public.w_seq, public.w_users, public.w_sparse to anon;
grant usage, select on all sequences in schema public to anon;
grant execute on all functions in schema public to anon;
