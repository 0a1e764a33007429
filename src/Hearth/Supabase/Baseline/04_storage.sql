-- Supabase Storage's tables (buckets and the objects in them) and the path helpers its policies use, so
-- "insert into storage.buckets" and policies on storage.objects work. Files themselves are not served yet.
create schema if not exists storage authorization supabase_storage_admin;
grant usage on schema storage to anon, authenticated, service_role, dashboard_user;

do $$ begin
  create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
  alter type storage.buckettype owner to supabase_storage_admin;
exception when duplicate_object then null;
end $$;

do $$ begin
  if to_regclass('storage.buckets') is not null then return; end if;
  create table storage.buckets (
    id text not null primary key,
    name text not null,
    owner uuid,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    public boolean default false,
    avif_autodetection boolean default false,
    file_size_limit bigint,
    allowed_mime_types text[],
    owner_id text,
    type storage.buckettype not null default 'STANDARD'
  );
  create unique index bname on storage.buckets (name);
  alter table storage.buckets enable row level security;
  alter table storage.buckets owner to supabase_storage_admin;
  grant all on storage.buckets to anon, authenticated, service_role;
end $$;

do $$ begin
  if to_regclass('storage.objects') is not null then return; end if;
  create table storage.objects (
    id uuid not null default gen_random_uuid() primary key,
    bucket_id text constraint "objects_bucketId_fkey" references storage.buckets (id),
    name text,
    owner uuid,
    created_at timestamptz default now(),
    updated_at timestamptz default now(),
    last_accessed_at timestamptz default now(),
    metadata jsonb,
    path_tokens text[] generated always as (string_to_array(name, '/')) stored,
    version text,
    owner_id text,
    user_metadata jsonb,
    level integer
  );
  create unique index bucketid_objname on storage.objects (bucket_id, name);
  create index name_prefix_search on storage.objects (name text_pattern_ops);
  alter table storage.objects enable row level security;
  alter table storage.objects owner to supabase_storage_admin;
  grant all on storage.objects to anon, authenticated, service_role;
end $$;

-- 'folder/sub/file.png' → {folder,sub}, 'file.png', 'png' (a name without a dot is its own extension, as on Supabase).
do $$ begin
  create function storage.foldername(name text) returns text[] language sql immutable as $f$
    select parts[1:cardinality(parts) - 1] from string_to_array(name, '/') as parts
  $f$;
  alter function storage.foldername(text) owner to supabase_storage_admin;
exception when duplicate_function then null;
end $$;

do $$ begin
  create function storage.filename(name text) returns text language sql immutable as $f$
    select parts[cardinality(parts)] from string_to_array(name, '/') as parts
  $f$;
  alter function storage.filename(text) owner to supabase_storage_admin;
exception when duplicate_function then null;
end $$;

do $$ begin
  create function storage.extension(name text) returns text language sql immutable as $f$
    select reverse(split_part(reverse(parts[cardinality(parts)]), '.', 1)) from string_to_array(name, '/') as parts
  $f$;
  alter function storage.extension(text) owner to supabase_storage_admin;
exception when duplicate_function then null;
end $$;
