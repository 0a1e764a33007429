-- Buckets and policies for the storage tests: a public bucket anyone reads and signed-in users write,
-- a private one (64 KiB, text and images) where each user owns the folder named by their id.
insert into storage.buckets (id, name, public) values ('pub', 'pub', true);
create policy "pub: anyone reads" on storage.objects for select using (bucket_id = 'pub');
create policy "pub: users write" on storage.objects for insert to authenticated with check (bucket_id = 'pub');
create policy "pub: owners update" on storage.objects for update to authenticated using (bucket_id = 'pub' and owner = auth.uid());
create policy "pub: owners delete" on storage.objects for delete to authenticated using (bucket_id = 'pub' and owner = auth.uid());

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('private', 'private', false, 65536, '{text/plain,image/*}');
create policy "private: owners read" on storage.objects for select to authenticated
  using (bucket_id = 'private' and owner = auth.uid());
create policy "private: own folder" on storage.objects for insert to authenticated
  with check (bucket_id = 'private' and (storage.foldername(name))[1] = auth.uid()::text);
create policy "private: owners update" on storage.objects for update to authenticated
  using (bucket_id = 'private' and owner = auth.uid());
create policy "private: owners delete" on storage.objects for delete to authenticated
  using (bucket_id = 'private' and owner = auth.uid());

-- No upload limit of its own: the global one (--storage-file-size-limit) applies.
insert into storage.buckets (id, name, public) values ('big', 'big', false);
