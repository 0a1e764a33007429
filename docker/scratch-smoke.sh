#!/usr/bin/env bash
# Proves the FROM scratch image is complete: builds it with podman, exports its root filesystem, and
# runs `hearth --version` and a serve smoke test inside it with chroot (no container runtime needed).
#   docker/scratch-smoke.sh artifacts/hearth
set -euo pipefail
bin=$(realpath "${1:-artifacts/hearth}")
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/hearth-scratch.XXXXXX)
root=$work/rootfs
pid=
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && sleep 1
  umount "$root/proc" 2>/dev/null || true
  umount -R "$root/dev" 2>/dev/null || true
  podman rm -f hearth-scratch-export >/dev/null 2>&1 || true
  # Never delete through a mount that is still there: it is the host's /dev or /proc.
  if mountpoint -q "$root/dev" || mountpoint -q "$root/proc"; then
    echo "scratch: $root still has mounts; not deleting it" >&2
  else
    rm -rf --one-file-system "$work"
  fi
}
trap cleanup EXIT

command -v podman >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends podman >/dev/null; }
bash "$repo/docker/scratch-rootfs.sh" "$bin" "$work/context"
podman build -q -f "$work/context/Containerfile.scratch" -t hearth:scratch "$work/context" >/dev/null
podman create --name hearth-scratch-export hearth:scratch >/dev/null
mkdir -p "$root"
podman export hearth-scratch-export | tar -x --same-owner --numeric-owner -C "$root"
echo "image: $(podman image inspect hearth:scratch --format '{{.Size}}' | awk '{printf "%.1f MiB", $1/1048576}'), files: $(find "$root" -type f | wc -l)"

# What a container runtime provides: /proc, and /dev with /dev/shm (PostgreSQL's shared memory).
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"

echo "hearth --version inside the image: $(chroot "$root" /hearth --version)"

mkdir -p "$root/migrations"
cp "$repo"/examples/quickstart/migrations/*.sql "$root/migrations/"
# As the image's USER 1000 with the image's environment (ENV in Containerfile.scratch).
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/home/hearth HEARTH_DATA_DIR=/data HEARTH_CACHE_DIR=/cache \
  chroot --userspec=1000:1000 "$root" /hearth serve --migrations /migrations --port 0 >"$work/out" 2>"$work/err" &
pid=$!
for _ in $(seq 1 300); do
  grep -q '^Hearth listening on ' "$work/out" && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/err"; echo "scratch: hearth exited before it was ready"; exit 1; }
  sleep 0.2
done
url=$(sed -n 's/^Hearth listening on //p' "$work/out")
[ -n "$url" ] || { cat "$work/err"; echo "scratch: no ready line"; exit 1; }
curl -fsS "$url/todos" | grep -q '"title":"Install Hearth"' || { cat "$work/err"; echo "scratch: GET /todos failed"; exit 1; }
kill -TERM "$pid"
set +e; wait "$pid"; code=$?; set -e
pid=
[ "$code" -eq 0 ] || { cat "$work/err"; echo "scratch: exit code $code after SIGTERM"; exit 1; }
if pgrep -f "$root" >/dev/null || pgrep -f " -D /data/pg_embed" >/dev/null; then echo "scratch: postgres left behind"; exit 1; fi
echo "scratch: OK (hearth --version and serve/GET/SIGTERM inside the FROM scratch image)"
