-- Who API requests run as: the anon role, on a connection logged in as the non-superuser authenticator.
create view public.whoami as
  select current_user::text as role, session_user::text as login,
         (select rolsuper from pg_roles where rolname = session_user) as login_is_superuser,
         current_setting('transaction_read_only') as read_only;
grant select on public.whoami to anon;
