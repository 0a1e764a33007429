#!/usr/bin/env bash
# Assembles the build context of the minimal (FROM scratch) image: rootfs/ holds the AOT binary and
# exactly the shared libraries it and the embedded PostgreSQL need, /bin/sh (pg_ctl starts the server
# through it) and an unprivileged user; owned/ holds the folders that user writes (/data, /cache, its home).
#   docker/scratch-rootfs.sh artifacts/hearth docker/scratch
set -euo pipefail
bin=$(realpath "$1")
context=$2
out=$context/rootfs
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$out" "$context/owned"
mkdir -p "$out"/{bin,etc,tmp,proc,dev} "$context"/owned/{data,cache,home/hearth}
cp "$here/Containerfile.scratch" "$context/"
cp "$bin" "$out/hearth"
cp "$(readlink -f /bin/sh)" "$out/bin/sh"

# PostgreSQL's own libraries travel inside the binary; what it needs from the system is what ldd shows
# outside its install — read from the copy the AOT build staged before embedding it.
pgbin=$(ls -d "$here"/../src/Hearth/obj/Release/net10.0/linux-x64/pgsql-embed/stage/postgres-*/bin 2>/dev/null | head -n1 || true)
[ -n "$pgbin" ] || { echo "scratch-rootfs: build the AOT binary first (dotnet publish … -r linux-x64)"; exit 1; }

libs=$( { ldd "$bin"; ldd "$out/bin/sh"; for f in "$pgbin"/* "$pgbin"/../lib/*.so*; do ldd "$f" 2>/dev/null || true; done; } \
  | grep -v 'pgsql-embed' | grep -oE '(=> |^\s*)/[^ ]+\.so[^ ]*' | sed -E 's/^(=> |\s*)//' | sort -u)
# .NET loads OpenSSL with dlopen (hashing, random numbers), which ldd cannot see.
libs="$libs $(ldconfig -p | grep -oE '/[^ ]*/lib(ssl|crypto)\.so\.3$' | sort -u | tr '\n' ' ')"
for lib in $libs; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done

# PostgreSQL runs with locale C.UTF-8 (lc_messages, lc_monetary, …): glibc reads it from here.
mkdir -p "$out/usr/lib/locale"
cp -r /usr/lib/locale/C.utf8 "$out/usr/lib/locale/"

cat > "$out/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/bin/sh
hearth:x:1000:1000:hearth:/home/hearth:/bin/sh
PASSWD
cat > "$out/etc/group" <<'GROUP'
root:x:0:
hearth:x:1000:
GROUP
echo "passwd: files" > "$out/etc/nsswitch.conf"
echo "group: files" >> "$out/etc/nsswitch.conf"
chmod 1777 "$out/tmp"
echo "scratch context: $(du -sh "$out" | cut -f1) in $out ($(echo "$libs" | wc -l) system libraries)"
