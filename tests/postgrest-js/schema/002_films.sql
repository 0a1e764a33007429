-- Films and actors: many-to-many through film_actors, a text[] and a jsonb column for contains(),
-- and a generated tsvector column for textSearch().

create table films (
  id          int     primary key,
  title       text    not null,
  year        int     not null,
  genres      text[]  not null,
  meta        jsonb   not null,
  description text    not null,
  fts         tsvector generated always as (to_tsvector('english', title || ' ' || description)) stored
);

insert into films (id, title, year, genres, meta, description) values
  (1, 'The Matrix',    1999, '{action,scifi}',          '{"language": "en", "rating": "R"}',
      'A hacker discovers that reality is a simulation'),
  (2, 'Inception',     2010, '{action,scifi,thriller}', '{"language": "en", "rating": "PG-13"}',
      'A thief steals secrets through dream sharing'),
  (3, 'Amelie',        2001, '{comedy,romance}',        '{"language": "fr", "rating": "R"}',
      'A shy waitress in Montmartre decides to change the lives of those around her'),
  (4, 'Spirited Away', 2001, '{animation,fantasy}',     '{"language": "ja", "rating": "PG"}',
      'A girl wanders into a world of spirits'),
  (5, 'Parasite',      2019, '{drama,thriller}',        '{"language": "ko", "rating": "R"}',
      'A poor family schemes to become employed by a wealthy household');

create table actors (
  id   int  primary key,
  name text not null
);

insert into actors (id, name) values
  (1, 'Keanu Reeves'),
  (2, 'Carrie-Anne Moss'),
  (3, 'Leonardo DiCaprio'),
  (4, 'Elliot Page'),
  (5, 'Audrey Tautou'),
  (6, 'Song Kang-ho');

-- Junction table: composite primary key made of both foreign keys => many-to-many films <-> actors.
create table film_actors (
  film_id  int  not null references films (id),
  actor_id int  not null references actors (id),
  role     text not null,
  primary key (film_id, actor_id)
);

insert into film_actors (film_id, actor_id, role) values
  (1, 1, 'Neo'),
  (1, 2, 'Trinity'),
  (2, 3, 'Cobb'),
  (2, 4, 'Ariadne'),
  (3, 5, 'Amelie Poulain'),
  (5, 6, 'Kim Ki-taek');
