-- The publication Supabase Realtime streams from; projects add their tables to it. Empty until they do.
do $$ begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $$;
