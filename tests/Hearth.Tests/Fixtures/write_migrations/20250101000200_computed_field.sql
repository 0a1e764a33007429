-- A computed field on w_kv (a function of its row), read back from written rows (ComputedWriteTests).
create function public.v_doubled(public.w_kv) returns int
  language sql immutable as $$ select $1.v * 2 $$;
