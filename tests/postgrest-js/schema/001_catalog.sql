-- Read-only catalog used by the read tests (never modified by any test).

create table countries (
  id      int  primary key,
  code    text not null unique,
  name    text not null,
  capital text               -- null for Antarctica (for is(...) tests)
);

insert into countries (id, code, name, capital) values
  (1, 'FR', 'France',         'Paris'),
  (2, 'DE', 'Germany',        'Berlin'),
  (3, 'JP', 'Japan',          'Tokyo'),
  (4, 'GB', 'United Kingdom', 'London'),
  (5, 'AQ', 'Antarctica',     null);

-- many-to-one: cities -> countries; one-to-many: countries -> cities
create table cities (
  id         int  primary key,
  name       text not null,
  country_id int  not null references countries (id),
  population int  not null
);

insert into cities (id, name, country_id, population) values
  (1, 'Paris',  1, 2100000),
  (2, 'Lyon',   1,  520000),
  (3, 'Berlin', 2, 3600000),
  (4, 'Munich', 2, 1500000),
  (5, 'Tokyo',  3, 14000000),
  (6, 'Osaka',  3, 2700000),
  (7, 'London', 4, 8800000);
