-- Functions for rpc().

create function add(a int, b int) returns int
  language sql immutable
  as $$ select a + b $$;

-- set-returning function: filters, select and order are applied on top of its result
create function films_since(from_year int) returns setof films
  language sql stable
  as $$ select * from films where year >= from_year $$;

-- returns table(...)
create function country_city_counts() returns table (code text, city_count int)
  language sql stable
  as $$
    select c.code, count(ci.id)::int
    from countries c left join cities ci on ci.country_id = c.id
    group by c.code
  $$;
