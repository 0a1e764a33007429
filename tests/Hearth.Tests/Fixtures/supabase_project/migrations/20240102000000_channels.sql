-- In the style of Supabase's slack-clone: its own transaction block, a publication, extensions.uuid_generate_v4().
begin;

create table public.channels (
  id uuid default extensions.uuid_generate_v4() primary key,
  inserted_at timestamp with time zone default timezone('utc'::text, now()) not null,
  slug text not null unique,
  created_by uuid references auth.users
);
comment on table public.channels is 'Topics and groups; it''s a "channel" in the slack sense;';

alter table public.channels enable row level security;
create policy "Allow logged-in read access" on public.channels for select using (auth.role() = 'authenticated');
create policy "Allow anonymous read of general" on public.channels for select to anon using (slug = 'general');

/* Realtime: send changes of these tables. /* nested */ still a comment; */
drop publication if exists supabase_realtime;
create publication supabase_realtime;
alter publication supabase_realtime add table public.channels;

-- A SQL-standard function body with semicolons inside.
create function public.channel_count() returns bigint language sql stable
begin atomic
  select count(*) from public.channels;
end;

commit;
