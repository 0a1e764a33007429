-- PostgREST 14 behaviours driven by postgrest14.test.mjs: overloads, count and max-affected on functions,
-- singular writes. Functions and rows of their own (prefix pg14), so the other tests are unaffected.
create function pg14_pick(a int) returns text language sql immutable as $$ select 'one' $$;
create function pg14_pick(a int, b int) returns text language sql immutable as $$ select 'two' $$;
create function pg14_same(a int) returns text language sql immutable as $$ select 'int' $$;
create function pg14_same(a text) returns text language sql immutable as $$ select 'text' $$;
create function pg14_rows(n int) returns setof int language sql volatile as $$ select generate_series(1, n) $$;

insert into tasks (slug, title, priority) values ('pg14-single-1', 'Singular', 1), ('pg14-single-2', 'Singular', 1);
