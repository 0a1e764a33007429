insert into public.todos (title, done) values
  ('Install Hearth', true),
  ('Write a migration', true),
  ('Call the API with curl', false);
