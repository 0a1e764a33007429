-- An app on Supabase's auth: a profile row per user from an AFTER INSERT trigger on auth.users (Supabase's
-- documented pattern), and notes each user reads and writes alone (RLS on auth.uid()).
create table public.profiles (
  id uuid primary key references auth.users(id) on delete cascade,
  email text,
  full_name text
);
alter table public.profiles enable row level security;
create policy profiles_own on public.profiles for select to authenticated using (id = auth.uid());
grant select on public.profiles to authenticated;

create function public.handle_new_user() returns trigger language plpgsql security definer set search_path = ''
as $$
begin
  if new.raw_user_meta_data->>'full_name' = 'refuse me' then
    raise exception 'profile rejected';
  end if;
  insert into public.profiles (id, email, full_name) values (new.id, new.email, new.raw_user_meta_data->>'full_name');
  return new;
end $$;
create trigger on_auth_user_created after insert on auth.users for each row execute function public.handle_new_user();

create table public.notes (
  id bigserial primary key,
  owner uuid not null default auth.uid() references auth.users(id) on delete cascade,
  body text not null
);
alter table public.notes enable row level security;
create policy notes_own on public.notes for all to authenticated using (owner = auth.uid()) with check (owner = auth.uid());
grant select, insert, update, delete on public.notes to authenticated;
grant usage on sequence public.notes_id_seq to authenticated;
