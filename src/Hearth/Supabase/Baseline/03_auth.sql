-- The auth schema with the tables GoTrue (Supabase Auth) keeps users and sessions in, column for column,
-- so triggers on auth.users, foreign keys to it and the later /auth/v1 server see Supabase's layout.
-- Each object is created only when missing: a database Supabase's services set up is left as it is.
create schema if not exists auth authorization supabase_auth_admin;
grant usage on schema auth to anon, authenticated, service_role, dashboard_user;

do $$ begin
  create type auth.aal_level as enum ('aal1', 'aal2', 'aal3');
  alter type auth.aal_level owner to supabase_auth_admin;
exception when duplicate_object then null;
end $$;

do $$ begin
  if to_regclass('auth.users') is not null then return; end if;
  create table auth.users (
    instance_id uuid,
    id uuid not null primary key,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token_new varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    raw_app_meta_data jsonb,
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz,
    updated_at timestamptz,
    phone text unique default null,
    phone_confirmed_at timestamptz,
    phone_change text default '',
    phone_change_token varchar(255) default '',
    phone_change_sent_at timestamptz,
    confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
    email_change_token_current varchar(255) default '',
    email_change_confirm_status smallint default 0 check (email_change_confirm_status between 0 and 2),
    banned_until timestamptz,
    reauthentication_token varchar(255) default '',
    reauthentication_sent_at timestamptz,
    is_sso_user boolean not null default false,
    deleted_at timestamptz,
    is_anonymous boolean not null default false
  );
  create index users_instance_id_idx on auth.users (instance_id);
  create index users_instance_id_email_idx on auth.users (instance_id, lower(email));
  create index users_is_anonymous_idx on auth.users (is_anonymous);
  -- SSO accounts may share an address; everyone else has a unique one.
  create unique index users_email_partial_key on auth.users (email) where is_sso_user = false;
  -- One-time tokens are unique unless they are numeric codes or blank.
  create unique index confirmation_token_idx on auth.users (confirmation_token) where confirmation_token !~ '^[0-9 ]*$';
  create unique index recovery_token_idx on auth.users (recovery_token) where recovery_token !~ '^[0-9 ]*$';
  create unique index email_change_token_current_idx on auth.users (email_change_token_current) where email_change_token_current !~ '^[0-9 ]*$';
  create unique index email_change_token_new_idx on auth.users (email_change_token_new) where email_change_token_new !~ '^[0-9 ]*$';
  create unique index reauthentication_token_idx on auth.users (reauthentication_token) where reauthentication_token !~ '^[0-9 ]*$';
  alter table auth.users enable row level security;
  alter table auth.users owner to supabase_auth_admin;
end $$;

do $$ begin
  if to_regclass('auth.identities') is not null then return; end if;
  create table auth.identities (
    provider_id text not null,
    user_id uuid not null references auth.users (id) on delete cascade,
    identity_data jsonb not null,
    provider text not null,
    last_sign_in_at timestamptz,
    created_at timestamptz,
    updated_at timestamptz,
    email text generated always as (lower(identity_data ->> 'email')) stored,
    id uuid not null default gen_random_uuid() primary key,
    constraint identities_provider_id_provider_unique unique (provider_id, provider)
  );
  create index identities_user_id_idx on auth.identities (user_id);
  create index identities_email_idx on auth.identities (email text_pattern_ops);
  alter table auth.identities enable row level security;
  alter table auth.identities owner to supabase_auth_admin;
end $$;

do $$ begin
  if to_regclass('auth.sessions') is not null then return; end if;
  create table auth.sessions (
    id uuid not null primary key,
    user_id uuid not null references auth.users (id) on delete cascade,
    created_at timestamptz,
    updated_at timestamptz,
    factor_id uuid,
    aal auth.aal_level,
    not_after timestamptz,
    refreshed_at timestamp,
    user_agent text,
    ip inet,
    tag text,
    oauth_client_id uuid,
    refresh_token_hmac_key text,
    refresh_token_counter bigint,
    scopes text constraint sessions_scopes_length check (char_length(scopes) <= 4096)
  );
  create index sessions_user_id_idx on auth.sessions (user_id);
  create index sessions_not_after_idx on auth.sessions (not_after desc);
  alter table auth.sessions enable row level security;
  alter table auth.sessions owner to supabase_auth_admin;
end $$;

do $$ begin
  if to_regclass('auth.refresh_tokens') is not null then return; end if;
  create table auth.refresh_tokens (
    instance_id uuid,
    id bigserial primary key,
    token varchar(255) constraint refresh_tokens_token_unique unique,
    user_id varchar(255),
    revoked boolean,
    created_at timestamptz,
    updated_at timestamptz,
    parent varchar(255),
    session_id uuid references auth.sessions (id) on delete cascade
  );
  create index refresh_tokens_instance_id_idx on auth.refresh_tokens (instance_id);
  create index refresh_tokens_instance_id_user_id_idx on auth.refresh_tokens (instance_id, user_id);
  create index refresh_tokens_parent_idx on auth.refresh_tokens (parent);
  create index refresh_tokens_session_id_revoked_idx on auth.refresh_tokens (session_id, revoked);
  create index refresh_tokens_updated_at_idx on auth.refresh_tokens (updated_at desc);
  alter table auth.refresh_tokens enable row level security;
  alter table auth.refresh_tokens owner to supabase_auth_admin;
end $$;

-- The helpers policies call. They read the claims PostgREST (and Hearth) put in request.jwt.claims, and the
-- older one-setting-per-claim form request.jwt.claim.<name>; an empty setting counts as unset.
do $$ begin
  create function auth.jwt() returns jsonb language sql stable as $f$
    select coalesce(nullif(current_setting('request.jwt.claim', true), ''), nullif(current_setting('request.jwt.claims', true), ''))::jsonb
  $f$;
  alter function auth.jwt() owner to supabase_auth_admin;
exception when duplicate_function then null;
end $$;

do $$ begin
  create function auth.uid() returns uuid language sql stable as $f$
    select nullif(coalesce(nullif(current_setting('request.jwt.claim.sub', true), ''),
                           nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'), '')::uuid
  $f$;
  alter function auth.uid() owner to supabase_auth_admin;
exception when duplicate_function then null;
end $$;

do $$ begin
  create function auth.role() returns text language sql stable as $f$
    select coalesce(nullif(current_setting('request.jwt.claim.role', true), ''),
                    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  $f$;
  alter function auth.role() owner to supabase_auth_admin;
exception when duplicate_function then null;
end $$;

do $$ begin
  create function auth.email() returns text language sql stable as $f$
    select coalesce(nullif(current_setting('request.jwt.claim.email', true), ''),
                    nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  $f$;
  alter function auth.email() owner to supabase_auth_admin;
exception when duplicate_function then null;
end $$;
