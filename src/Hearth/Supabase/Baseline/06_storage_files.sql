-- Hearth's storage server (/storage/v1) keeps each object version's bytes in a file named by
-- storage.objects.version. When a version stops being referenced — its row deleted (by the storage API, a
-- migration or a REST call) or replaced by an upsert — this trigger queues it in hearth.storage_garbage in
-- the same transaction; Hearth deletes the file after commit (and at startup), so a rollback keeps it.
create schema if not exists hearth;
create table if not exists hearth.storage_garbage (
  version text primary key,
  queued_at timestamptz not null default now()
);
revoke all on hearth.storage_garbage from public;

create or replace function hearth.storage_queue_garbage() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.version is not null and (tg_op = 'DELETE' or new.version is distinct from old.version) then
    insert into hearth.storage_garbage (version) values (old.version) on conflict do nothing;
  end if;
  return null;
end $$;
revoke all on function hearth.storage_queue_garbage() from public;

-- On a database whose storage.objects belongs to another role (a Supabase project reached with
-- --database-url), the trigger may not be ours to create: then replaced files are only removed at startup.
do $$ begin
  drop trigger if exists hearth_storage_garbage on storage.objects;
  create trigger hearth_storage_garbage after update or delete on storage.objects
    for each row execute function hearth.storage_queue_garbage();
exception when insufficient_privilege then
  raise warning 'hearth: cannot create the storage garbage trigger on storage.objects (%); replaced files are removed at startup only', sqlerrm;
end $$;
