-- Supabase's service roles, so migrations that grant to them run unchanged. Hearth logs in as none of
-- them, so they are NOLOGIN here (on Supabase the services log in with them). anon, authenticated and
-- service_role come from Hearth's own role setup (embedded) or already exist (a Supabase database).
do $$
declare
  r record;
begin
  for r in select * from (values
      ('anon', 'nologin noinherit'),
      ('authenticated', 'nologin noinherit'),
      ('service_role', 'nologin noinherit bypassrls'),
      ('supabase_admin', 'nologin noinherit createrole createdb bypassrls'),
      ('supabase_auth_admin', 'nologin noinherit createrole'),
      ('supabase_storage_admin', 'nologin noinherit createrole'),
      ('supabase_realtime_admin', 'nologin noinherit'),
      ('dashboard_user', 'nologin createrole createdb')) as t(name, options)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      execute format('create role %I %s', r.name, r.options);
    end if;
  end loop;
end $$;

grant usage on schema public to anon, authenticated, service_role;
