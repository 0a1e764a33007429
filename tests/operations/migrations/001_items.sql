-- A table the anon role may read: the load the metrics test drives.
create table public.items (id int primary key, note text);
insert into public.items values (1, 'one'), (2, 'two');
grant select on public.items to anon;
