-- Schema of the private Hearths of the connection-pool tests (tests/Hearth.Tests/Http/Pool).

-- Holds its API connection for a while, like a slow RPC.
create function public.slow(seconds float8) returns int
language plpgsql as $$ begin perform pg_sleep(seconds); return 1; end $$;

-- A large response built quickly: a JSON string of `mb` MiB.
create function public.big(mb int) returns text
language sql stable as $$ select repeat('x', mb * 1024 * 1024) $$;

-- A small, fast read.
create table public.items (id int primary key, name text not null);
insert into public.items select i, 'item ' || i from generate_series(1, 20) i;

grant select on public.items to anon;
grant execute on all functions in schema public to anon;
