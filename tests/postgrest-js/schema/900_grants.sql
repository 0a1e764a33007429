-- Runs last so that it covers every table, sequence and function created above.
grant usage on schema public to anon;
grant select, insert, update, delete on all tables in schema public to anon;
grant usage on all sequences in schema public to anon;
grant execute on all functions in schema public to anon;
