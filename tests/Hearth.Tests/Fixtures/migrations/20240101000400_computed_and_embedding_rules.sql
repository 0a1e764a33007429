-- Computed fields and relationships, and PostgREST's embedding rules (tests/Hearth.Tests/Http/Reads/ComputedTests.cs,
-- EmbeddingRulesTests.cs). New tables only: other tests count rows of the earlier fixtures.

create table public.chat_channels (
  id int primary key,
  slug text not null
);
create table public.chat_users (
  id int primary key,
  username text not null unique,
  joined date not null
);
create table public.chat_messages (
  id int primary key,
  channel_id int not null references public.chat_channels (id),
  user_id int not null references public.chat_users (id),
  message text not null
);
insert into public.chat_channels (id, slug) values (1, 'public'), (2, 'random'), (3, 'empty');
insert into public.chat_users (id, username, joined) values (1, 'supabot', '2020-01-01'), (2, 'kiwicopple', '2021-06-15'), (3, 'awailas', '2022-03-01');
insert into public.chat_messages (id, channel_id, user_id, message) values
  (1, 1, 1, 'Hello World'),
  (2, 2, 1, 'Perfection is attained'),
  (3, 1, 2, 'Supabase Launch Week'),
  (4, 1, 3, 'Realtime is here');

-- Computed fields: a function of the row returning a scalar.
create function public.blurb_message(public.chat_messages) returns text
  language sql stable as $$ select substring($1.message, 1, 5) $$;
create function public.username_length(public.chat_users) returns int
  language sql immutable as $$ select length($1.username) $$;

-- Computed relationships: to-many (setof), to-one (a single row), to-one by rows 1.
create function public.get_messages(public.chat_channels) returns setof public.chat_messages
  language sql stable as $$ select * from public.chat_messages where channel_id = $1.id $$;
create function public.posted_in(public.chat_messages) returns public.chat_channels
  language sql stable as $$ select * from public.chat_channels where id = $1.channel_id $$;
create function public.latest_message(public.chat_users) returns setof public.chat_messages
  language sql stable rows 1 as $$ select * from public.chat_messages where user_id = $1.id order by id desc limit 1 $$;

-- A table-returning function: computed fields apply to its rows too.
create function public.channel_messages(channel int) returns setof public.chat_messages
  language sql stable as $$ select * from public.chat_messages where channel_id = channel $$;

-- Three keys to chat_users, also visible through two views of it: embedding by key column skips the views.
create table public.best_friends (
  id int primary key,
  first_user int not null references public.chat_users (id),
  second_user int not null references public.chat_users (id),
  third_wheel int references public.chat_users (id)
);
insert into public.best_friends (id, first_user, second_user, third_wheel) values (1, 1, 2, 3), (2, 2, 3, null);
create view public.chat_users_a as select * from public.chat_users;
create view public.chat_users_b as select * from public.chat_users;

-- A self reference.
create table public.collections (
  id int primary key,
  name text not null,
  parent_id int references public.collections (id)
);
insert into public.collections (id, name, parent_id) values (1, 'root', null), (2, 'child', 1), (3, 'grandchild', 2);

grant select on public.chat_channels, public.chat_users, public.chat_messages, public.best_friends,
  public.chat_users_a, public.chat_users_b, public.collections to anon;
