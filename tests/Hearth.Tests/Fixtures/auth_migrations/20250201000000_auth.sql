-- Auth fixtures: RLS on JWT claims, role grants, request context, response settings, pre-request, role settings.

-- Rows owned by the JWT's subject; each user sees and changes only their own (Supabase's auth.uid() pattern).
create function public.jwt_sub() returns text language sql stable
  as $$ select current_setting('request.jwt.claims', true)::json->>'sub' $$;

create table public.todos (
  id serial primary key,
  owner text not null default public.jwt_sub(),
  title text not null
);
alter table public.todos enable row level security;
create policy todos_own on public.todos for all to authenticated
  using (owner = public.jwt_sub()) with check (owner = public.jwt_sub());
grant select, insert, update, delete on public.todos to authenticated;
grant usage on sequence public.todos_id_seq to authenticated;
grant select on public.todos to service_role; -- Supabase's service key: bypasses RLS, still needs grants
insert into public.todos (owner, title) values ('alice', 'alice 1'), ('alice', 'alice 2'), ('bob', 'bob 1');

-- Members only: anon has no grant (401), authenticated has.
create table public.members_only (id int primary key, secret text);
grant select on public.members_only to authenticated;
insert into public.members_only values (1, 'for members');

create table public.notes (id int primary key, body text);
grant select, insert on public.notes to anon, authenticated;
insert into public.notes select g, 'note ' || g from generate_series(1, 30) as g;

-- Insert-only: anonymous visitors may leave feedback but not read it.
create table public.feedback (id serial primary key, body text not null);
grant insert on public.feedback to anon;
grant usage on sequence public.feedback_id_seq to anon;

-- A role of its own: only editors may write drafts.
create role editor nologin noinherit;
grant editor to authenticator;
create table public.drafts (id int primary key, body text);
grant select on public.drafts to authenticated, editor;
grant insert on public.drafts to editor;

-- A role with its own statement_timeout (ALTER ROLE … SET), honoured per request.
create role hasty nologin noinherit;
grant hasty to authenticator;
alter role hasty set statement_timeout = '150ms';
create function public.slow() returns int language sql stable as $$ select 1 from pg_sleep(0.6) $$;

-- The request as SQL sees it.
create function public.request_context() returns json language sql stable as $$
  select json_build_object(
    'role', current_user,
    'claims', current_setting('request.jwt.claims', true)::json,
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'headers', current_setting('request.headers', true)::json,
    'cookies', current_setting('request.cookies', true)::json,
    'search_path', current_setting('search_path'))
$$;

-- Response status and headers from SQL.
create function public.teapot() returns text language plpgsql stable as $$
begin
  perform set_config('response.status', '418', true);
  perform set_config('response.headers', '[{"X-Brew":"earl grey"},{"Set-Cookie":"a=1"},{"Set-Cookie":"b=2"}]', true);
  return 'short and stout';
end $$;
create function public.log_in() returns void language plpgsql as $$
begin
  perform set_config('response.headers', '[{"Set-Cookie":"session=s1; HttpOnly"}]', true);
end $$;
create function public.bad_headers() returns text language plpgsql stable as $$
begin
  perform set_config('response.headers', '{"not":"an array"}', true);
  return 'x';
end $$;
create function public.bad_status() returns text language plpgsql stable as $$
begin
  perform set_config('response.status', 'teapot', true);
  return 'x';
end $$;
-- A write whose response settings are invalid: nothing it wrote may stay.
create function public.add_note_badly(id int) returns text language plpgsql as $$
begin
  insert into public.notes values (id, 'badly');
  perform set_config('response.headers', '[{"X-A":1}]', true);
  return 'x';
end $$;
create function public.created_elsewhere() returns void language plpgsql as $$
begin
  perform set_config('response.status', '201', true);
  perform set_config('response.headers', '[{"Location":"/elsewhere"}]', true);
end $$;

-- --db-pre-request: runs first in every request's transaction.
create function public.pre_request() returns void language plpgsql stable as $$
begin
  if current_setting('request.headers', true)::json->>'x-block-me' = 'yes' then
    raise sqlstate 'PT403' using message = 'Blocked by the pre-request function';
  end if;
  if current_setting('response.headers', true) is null or current_setting('response.headers', true) = '' then
    perform set_config('response.headers', '[{"X-Pre-Request":"ran"}]', true);
  end if;
end $$;
