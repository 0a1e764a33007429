-- The least-privilege roles of the external-database tests and bench (README: least privilege), run by a
-- superuser; idempotent. hearth_owner owns the databases (--admin-database-url); authenticator only logs
-- in and switches to the API roles (--database-url). Passwords are test fixtures, never real ones.
set client_min_messages = warning;
alter role postgres password 'postgres-pw';
do $$ begin
  if not exists (select from pg_roles where rolname = 'hearth_owner') then create role hearth_owner; end if;
  if not exists (select from pg_roles where rolname = 'authenticator') then create role authenticator; end if;
  if not exists (select from pg_roles where rolname = 'anon') then create role anon nologin noinherit; end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then create role authenticated nologin noinherit; end if;
  if not exists (select from pg_roles where rolname = 'service_role') then create role service_role nologin noinherit bypassrls; end if;
end $$;
alter role hearth_owner login createrole nosuperuser password 'owner-pw';
alter role authenticator login noinherit nosuperuser nocreatedb nocreaterole password 'authenticator-pw';
grant anon, authenticated, service_role to authenticator;
-- Where the Supabase roles exist already (created by a superuser, as on a Supabase database), the owner
-- must be granted the two that own the auth and storage schemas; the ones it creates itself it can grant.
do $$ declare r text; begin
  foreach r in array array['supabase_auth_admin', 'supabase_storage_admin'] loop
    if exists (select from pg_roles where rolname = r) then execute format('grant %I to hearth_owner', r); end if;
  end loop;
end $$;
-- Realtime's replication stream connects as its own role with REPLICATION (--database-replication-url),
-- so the tests prove that flag is used: the owner and the authenticator lack the attribute.
do $$ begin
  if not exists (select from pg_roles where rolname = 'hearth_replicator') then create role hearth_replicator; end if;
end $$;
alter role hearth_replicator login replication nosuperuser password 'replicator-pw';
