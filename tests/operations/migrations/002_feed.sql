-- A table in the supabase_realtime publication that anon may read and add to: realtime metrics move with it.
create table public.feed (id int primary key, note text);
grant select, insert on public.feed to anon;
alter publication supabase_realtime add table public.feed;
