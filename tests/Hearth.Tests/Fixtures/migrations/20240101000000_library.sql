-- The schema most HTTP tests read: a small library.
create table public.authors (
  id int primary key,
  name text not null,
  country text
);

create table public.books (
  id int primary key,
  title text not null,
  year int,
  author_id int references public.authors (id),
  meta jsonb,
  tags text[]
);

insert into public.authors (id, name, country) values
  (1, 'Ursula K. Le Guin', 'US'),
  (2, 'Stanisław Lem', 'PL'),
  (3, 'Octavia E. Butler', null);

insert into public.books (id, title, year, author_id, meta, tags) values
  (1, 'A Wizard of Earthsea', 1968, 1, '{"lang": "en", "pages": 183}', '{fantasy,classic}'),
  (2, 'The Left Hand of Darkness', 1969, 1, '{"lang": "en", "pages": 304}', '{scifi,classic}'),
  (3, 'Solaris', 1961, 2, '{"lang": "pl", "pages": 204}', '{scifi}'),
  (4, 'Kindred', 1979, 3, '{"lang": "en", "pages": 264}', '{}'),
  (5, 'The Cyberiad', 1965, 2, null, null);

grant select on public.authors, public.books to anon;
