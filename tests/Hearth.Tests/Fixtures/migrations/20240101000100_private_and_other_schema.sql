-- A table the anon role may not read (401), a slow view (graceful shutdown), and a second schema.
create table public.secrets (id int primary key, value text not null);
insert into public.secrets values (1, 'hunter2');

create view public.slow as select 'done'::text as result from pg_sleep(2);
grant select on public.slow to anon;

create schema other;
grant usage on schema other to anon;
create table other.things (id int primary key, label text not null);
insert into other.things values (1, 'from the other schema');
grant select on other.things to anon;
