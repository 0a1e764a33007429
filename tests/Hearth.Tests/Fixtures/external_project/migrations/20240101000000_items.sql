-- Not idempotent on purpose: applied twice (two instances migrating at once) it fails on the duplicate
-- table, and the insert would double the rows.
create table public.items (id int primary key, name text not null);
insert into public.items values (1, 'one'), (2, 'two');
select pg_sleep(0.5); -- keeps the advisory lock held while the other instances start
grant select on public.items to anon, authenticated;

-- What a request's transaction sees of its session: role, settings, prepared statements.
create function public.session_state() returns json language sql stable as $$
  select json_build_object(
    'role', current_user,
    'login', session_user,
    'claims_role', current_setting('request.jwt.claims', true)::json ->> 'role',
    'sub', current_setting('request.jwt.claims', true)::json ->> 'sub',
    'search_path', current_setting('search_path'),
    'statement_timeout', current_setting('statement_timeout'),
    'cookies', current_setting('request.cookies', true),
    'read_only', current_setting('transaction_read_only'),
    'prepared', (select count(*) from pg_prepared_statements))
$$;
grant execute on function public.session_state() to anon, authenticated;
