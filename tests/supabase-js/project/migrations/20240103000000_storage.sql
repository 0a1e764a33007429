-- Storage as Supabase's user-management starter sets it up: a public avatars bucket anyone may read and
-- upload to (owners may replace and remove theirs), plus a private documents bucket (1 MiB, text/images/PDF)
-- where each signed-in user owns the folder named by their id.
insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);
create policy "Avatar images are publicly accessible." on storage.objects for select using (bucket_id = 'avatars');
create policy "Anyone can upload an avatar." on storage.objects for insert with check (bucket_id = 'avatars');
create policy "Owners update their avatars." on storage.objects for update using (bucket_id = 'avatars' and (select auth.uid()) = owner);
create policy "Owners remove their avatars." on storage.objects for delete using (bucket_id = 'avatars' and (select auth.uid()) = owner);

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('documents', 'documents', false, 1048576, '{text/plain,image/*,application/pdf}');
create policy "Owners read their documents." on storage.objects for select to authenticated
  using (bucket_id = 'documents' and (select auth.uid()) = owner);
create policy "Users upload into their own folder." on storage.objects for insert to authenticated
  with check (bucket_id = 'documents' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "Owners update their documents." on storage.objects for update to authenticated
  using (bucket_id = 'documents' and (select auth.uid()) = owner);
create policy "Owners remove their documents." on storage.objects for delete to authenticated
  using (bucket_id = 'documents' and (select auth.uid()) = owner);
