-- Supabase's default privileges (--supabase only): what the migration owner creates in public is usable by
-- the API roles, and row-level security alone decides which rows. Without --supabase Hearth keeps
-- PostgREST's rule: nothing is reachable until a migration grants it.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
