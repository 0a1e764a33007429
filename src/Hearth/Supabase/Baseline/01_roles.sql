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
      -- Only a superuser may create BYPASSRLS roles; an owner role with CREATEROLE (--admin-database-url)
      -- creates supabase_admin without it (Hearth never logs in as it). service_role must exist already then.
      begin
        execute format('create role %I %s', r.name,
          case when (select rolsuper from pg_roles where rolname = current_user) then r.options else replace(r.options, 'bypassrls', '') end);
      exception when unique_violation or duplicate_object then
        null; -- roles belong to the cluster: Hearth setting up another database created it meanwhile
      end;
    end if;
  end loop;
  -- A non-superuser owner must be a member of the roles that own the auth and storage schemas to hand
  -- objects to them (ALTER ... OWNER, CREATE SCHEMA ... AUTHORIZATION).
  if not (select rolsuper from pg_roles where rolname = current_user) then
    for r in select unnest(array['supabase_auth_admin', 'supabase_storage_admin']) as name loop
      -- PostgreSQL 16+ asks to be able to SET ROLE to the new owner; 15 only for membership.
      if not pg_has_role(current_user, r.name, case when current_setting('server_version_num')::int >= 160000 then 'SET' else 'MEMBER' end) then
        execute format('grant %I to %I', r.name, current_user);
      end if;
    end loop;
  end if;
end $$;

grant usage on schema public to anon, authenticated, service_role;
