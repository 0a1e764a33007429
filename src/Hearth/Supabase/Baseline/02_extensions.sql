-- Supabase installs extensions into their own schema, on the API's search path (public, extensions), so
-- extensions.uuid_generate_v4() and plain gen_random_uuid()/uuid_generate_v4() both resolve.
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;
