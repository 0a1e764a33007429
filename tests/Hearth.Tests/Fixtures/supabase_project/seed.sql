-- Seed data: one user (the trigger makes the profile) and two channels.
insert into auth.users (id, email, raw_user_meta_data, aud, role)
values ('00000000-0000-0000-0000-0000000000a1', 'ada@example.com', '{"full_name":"Ada Lovelace"}', 'authenticated', 'authenticated');

insert into public.channels (slug, created_by) values ('general', '00000000-0000-0000-0000-0000000000a1'), ('random', null);
