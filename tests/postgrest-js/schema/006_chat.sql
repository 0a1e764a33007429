-- Computed fields and relationships (functions of a table's row), read only.

create table channels (
  id   int  primary key,
  slug text not null unique
);
create table users (
  username text primary key,
  status   text not null
);
create table messages (
  id         int  primary key,
  channel_id int  not null references channels (id),
  username   text not null references users (username),
  message    text not null
);

insert into channels (id, slug) values (1, 'public'), (2, 'random'), (3, 'quiet');
insert into users (username, status) values ('supabot', 'ONLINE'), ('kiwicopple', 'OFFLINE'), ('dragarcia', 'ONLINE');
insert into messages (id, channel_id, username, message) values
  (1, 1, 'supabot', 'Hello World 👋'),
  (2, 2, 'supabot', 'Perfection is attained, not when there is nothing more to add'),
  (3, 1, 'kiwicopple', 'Supabase Launch Week is on fire'),
  (4, 1, 'dragarcia', 'Realtime is here');

-- computed field: a scalar function of the row
create function blurb_message(messages) returns text
  language sql stable as $$ select substring($1.message, 1, 10) $$;

-- computed relationships: to-many (setof) and to-one (one row)
create function get_messages(channels) returns setof messages
  language sql stable as $$ select * from messages where channel_id = $1.id $$;
create function channel(messages) returns channels
  language sql stable as $$ select * from channels where id = $1.channel_id $$;
