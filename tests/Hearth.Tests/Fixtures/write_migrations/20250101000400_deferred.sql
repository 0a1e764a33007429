-- A constraint checked only at COMMIT: the write's statement succeeds and the commit fails, so the
-- commit's own error must reach the client and nothing may be stored (the commit can run in the
-- write's own batch).
create table public.w_deferred (id int primary key, code text not null,
  constraint w_deferred_code_key unique (code) deferrable initially deferred);
insert into public.w_deferred values (1, 'taken');
grant select, insert, update on public.w_deferred to anon;
