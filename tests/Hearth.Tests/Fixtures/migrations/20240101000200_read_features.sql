-- Extra fixture tables for the read-feature tests (tests/Hearth.Tests/Http/Reads). Small, deterministic.

-- Two foreign keys from messages to users: embedding users from messages is ambiguous (PGRST201).
create table public.users (
  id int primary key,
  name text not null
);
create table public.messages (
  id int primary key,
  sender_id int not null references public.users (id),
  receiver_id int not null references public.users (id),
  body text not null
);
insert into public.users (id, name) values (1, 'alice'), (2, 'bob'), (3, 'carol');
insert into public.messages (id, sender_id, receiver_id, body) values
  (1, 1, 2, 'hi bob'),
  (2, 2, 1, 'hi alice'),
  (3, 1, 3, 'hey carol');

-- A self reference.
create table public.employees (
  id int primary key,
  name text not null,
  manager_id int references public.employees (id)
);
insert into public.employees (id, name, manager_id) values
  (1, 'Ada', null),
  (2, 'Grace', 1),
  (3, 'Linus', 1),
  (4, 'Ken', 2);

-- One-to-one: the foreign key column is unique.
create table public.countries (
  id int primary key,
  name text not null
);
create table public.capitals (
  id int primary key,
  name text not null,
  country_id int not null unique references public.countries (id)
);
insert into public.countries (id, name) values (1, 'France'), (2, 'Japan'), (3, 'Atlantis');
insert into public.capitals (id, name, country_id) values (1, 'Paris', 1), (2, 'Tokyo', 2);

-- Many-to-many through a junction table whose primary key is both foreign keys.
create table public.films (
  id int primary key,
  title text not null
);
create table public.actors (
  id int primary key,
  name text not null
);
create table public.film_actors (
  film_id int not null references public.films (id),
  actor_id int not null references public.actors (id),
  primary key (film_id, actor_id)
);
insert into public.films (id, title) values (1, 'Alien'), (2, 'Heat'), (3, 'Ronin'), (4, 'Silent Film');
insert into public.actors (id, name) values
  (1, 'Sigourney Weaver'), (2, 'Al Pacino'), (3, 'Robert De Niro'), (4, 'Jean Reno');
insert into public.film_actors (film_id, actor_id) values (1, 1), (2, 2), (2, 3), (3, 3), (3, 4);
-- Exact statistics, so count=planned is deterministic on films.
analyze public.films;

-- Range types for sl/sr/nxr/nxl/adj/ov/cs/cd.
create table public.reservations (
  id int primary key,
  room text not null,
  seats int4range not null,
  during tstzrange not null
);
insert into public.reservations (id, room, seats, during) values
  (1, 'A', '[1,5)', '[2024-01-01 10:00:00+00,2024-01-01 12:00:00+00)'),
  (2, 'B', '[5,10)', '[2024-01-01 12:00:00+00,2024-01-01 14:00:00+00)'),
  (3, 'C', '[20,30)', '[2024-01-02 09:00:00+00,2024-01-02 10:00:00+00)');

-- Full-text search over a tsvector column (english) and over plain text.
create table public.articles (
  id int primary key,
  body text not null,
  body_tsv tsvector generated always as (to_tsvector('english', body)) stored
);
insert into public.articles (id, body) values
  (1, 'The quick brown fox jumps over the lazy dog'),
  (2, 'A lazy cat sleeps all day'),
  (3, 'Dogs and cats living together');

-- Nullable booleans for is.true/false/null/unknown and isdistinct.
create table public.tasks (
  id int primary key,
  title text not null,
  done boolean,
  priority int
);
insert into public.tasks (id, title, done, priority) values
  (1, 'write', true, 1),
  (2, 'review', false, 2),
  (3, 'ship', null, null),
  (4, 'celebrate', true, 3);

-- Values with characters that are reserved in PostgREST's syntax.
create table public.labels (
  id int primary key,
  name text not null
);
insert into public.labels (id, name) values
  (1, 'a,b'),
  (2, 'c'),
  (3, 'x.y'),
  (4, 'with space'),
  (5, '(parens)'),
  (6, 'say "hi"'),
  (7, '100%'),
  (8, 'a&b=c');

-- A view and a materialized view over books.
create view public.books_view as
  select id, title, year, author_id from public.books;
create materialized view public.book_counts as
  select author_id, count(*)::int as n from public.books group by author_id;

-- Identifiers that need quoting.
create table public."Weird Table" (
  id int primary key,
  "Mixed Case" text not null
);
insert into public."Weird Table" (id, "Mixed Case") values (1, 'first'), (2, 'second');

grant select on public.users, public.messages, public.employees, public.countries, public.capitals,
  public.films, public.actors, public.film_actors, public.reservations, public.articles, public.tasks,
  public.labels, public.books_view, public.book_counts, public."Weird Table" to anon;
