#!/usr/bin/env python3
"""Memory soak: a steady mixed load on a built Hearth, sampling the PSS of Hearth and of all its PostgreSQL
processes, to show whether memory grows.

The load (wrk, one connection per thread, one Lua script, a fixed pace per connection): primary-key reads, a 20-row list, an upsert
into a bounded key range and a PATCH (writes that do not grow the table without bound), an RPC call,
GET /auth/v1/user with a user's token, and now and then a sign-in (bcrypt). Memory is sampled every
--every seconds; the report gives start / end / max and the slope, over the whole run and over its second
half (after the caches have warmed up), for Hearth, PostgreSQL and both.

Usage: python3 bench/soak.py [--binary artifacts/hearth] [--minutes 10] [--every 10] [--rate 200]
       (--minutes 1 for a quick check; needs wrk, installed with apt-get when missing and run as root)
"""
import argparse, json, os, re, shutil, signal, subprocess, sys, tempfile, time, urllib.request
from procmem import sample
from hearthproc import serve

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--binary", default=os.path.join(root, "artifacts", "hearth"))
ap.add_argument("--minutes", type=float, default=10)
ap.add_argument("--every", type=float, default=10, help="seconds between memory samples")
ap.add_argument("--rate", type=int, default=200, help="requests per second to aim at (wrk's delay() per connection)")
ap.add_argument("--connections", type=int, default=4)
args = ap.parse_args()

SECRET = "bench-soak-secret-0123456789abcdef-0123456789"
MIGRATION = """
create table public.items (id int primary key, name text not null, price numeric not null);
insert into public.items select i, 'item ' || i, i / 100.0 from generate_series(1, 1000) i;
grant select, insert, update on public.items to anon, authenticated;
create function public.add(a int, b int) returns int language sql immutable as $$ select a + b $$;
grant execute on function public.add(int, int) to anon, authenticated;
"""

LUA = r"""
local n = 0
local token, anon = "%(token)s", "%(anon)s"
local pause = %(pause)d
local threads = {}
failed = ""  -- "label status" of each non-2xx answer, read by done(); one connection per thread keeps answers in request order
local path = {}
function setup(thread) table.insert(threads, thread) end
function delay() return pause end
function response(status, headers, body)
  if status >= 300 then failed = failed .. (path[1] or "?") .. " " .. status .. "\n" end
  table.remove(path, 1)
end
function done(summary, latency, requests)
  local counts = {}
  for _, t in ipairs(threads) do
    for line in string.gmatch(t:get("failed"), "[^\n]+") do counts[line] = (counts[line] or 0) + 1 end
  end
  for line, c in pairs(counts) do io.write("non-2xx: " .. line .. " x" .. c .. "\n") end
end
function request()
  n = n + 1
  local k = n %% 20
  table.insert(path, ({"GET by key", "GET by key", "GET by key", "GET by key", "GET by key", "GET by key", "GET list", "GET list", "GET list",
    "POST upsert", "POST upsert", "PATCH", "PATCH", "RPC", "RPC", "RPC", "auth user", "auth user", "auth user", "auth user or sign-in"})[k + 1])
  local id = math.random(1, 1000)
  local h = { ["apikey"] = anon, ["Content-Type"] = "application/json" }
  if k < 6 then
    return wrk.format("GET", "/items?id=eq." .. id, h)
  elseif k < 9 then
    return wrk.format("GET", "/items?select=id,name,price&order=id&limit=20&offset=" .. (id %% 900), h)
  elseif k < 11 then
    h["Prefer"] = "resolution=merge-duplicates,return=minimal"
    return wrk.format("POST", "/items", h, '{"id":' .. math.random(1, 2000) .. ',"name":"soak","price":' .. id .. '}')
  elseif k < 13 then
    h["Prefer"] = "return=minimal"
    return wrk.format("PATCH", "/items?id=eq." .. id, h, '{"price":' .. (id / 7) .. '}')
  elseif k < 16 then
    return wrk.format("POST", "/rpc/add", h, '{"a":' .. id .. ',"b":2}')
  elseif k < 19 or n %% 200 ~= 19 then
    h["Authorization"] = "Bearer " .. token
    return wrk.format("GET", "/auth/v1/user", h)
  else
    return wrk.format("POST", "/auth/v1/token?grant_type=password", h, '{"email":"soak@example.com","password":"soak password 1"}')
  end
end
"""


def b64(data):
    import base64
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def anon_key():
    import hashlib, hmac
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"role": "anon", "exp": int(time.time()) + 86400}).encode())
    sig = b64(hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


def call(url, path, anon, body=None, method=None):
    req = urllib.request.Request(url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"apikey": anon, "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read() or b"null")


def slope(points):
    """Least-squares slope in MiB per minute."""
    if len(points) < 2:
        return 0.0
    xs, ys = [t / 60 for t, _ in points], [v for _, v in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else 0.0


def main():
    if not shutil.which("wrk"):
        subprocess.run("apt-get install -y -qq wrk >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq wrk >/dev/null)",
                       shell=True, check=True)
    work = tempfile.mkdtemp(prefix="hearth-soak-")
    os.chmod(work, 0o755)
    os.makedirs(os.path.join(work, "migrations"))
    with open(os.path.join(work, "migrations", "001_soak.sql"), "w") as f:
        f.write(MIGRATION)
    data = os.path.join(work, "data")
    env = dict(os.environ, HEARTH_JWT_SECRET=SECRET, HEARTH_AUTH_RATE_LIMIT_SIGN_IN_SIGN_UPS="100000000",
               HEARTH_AUTH_RATE_LIMIT_TOKEN_REFRESH="100000000")  # sign-ins count against the token limit
    try:
        p, url = serve(os.path.abspath(args.binary), data, os.path.join(work, "migrations"), env, os.path.join(work, "err"))
    except SystemExit:
        shutil.rmtree(work, ignore_errors=True)
        raise
    try:
        anon = anon_key()
        call(url, "/auth/v1/signup", anon, {"email": "soak@example.com", "password": "soak password 1"})
        token = call(url, "/auth/v1/token?grant_type=password", anon, {"email": "soak@example.com", "password": "soak password 1"})["access_token"]
        time.sleep(2)
        idle = sample(p.pid, data)
        pause = max(0, int(1000 * args.connections / args.rate))
        lua = os.path.join(work, "mix.lua")
        with open(lua, "w") as f:
            f.write(LUA % {"token": token, "anon": anon, "pause": pause})
        seconds = int(args.minutes * 60)
        wrk = subprocess.Popen(["wrk", f"-t{args.connections}", f"-c{args.connections}", f"-d{seconds}s", "--latency", "-s", lua, url],
                               stdout=subprocess.PIPE, text=True)
        t0 = time.time()
        samples = []  # (seconds, hearth, postgres, rss)
        while wrk.poll() is None:
            h, pg, rss = sample(p.pid, data)
            samples.append((time.time() - t0, h, pg, rss))
            time.sleep(args.every)
        out = wrk.stdout.read()
        time.sleep(2)
        after = sample(p.pid, data)
        requests = re.search(r"(\d+) requests in", out)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
        print(f"binary: {os.path.abspath(args.binary)}; {args.minutes:g} min mixed load, wrk -t{args.connections} -c{args.connections} "
              f"(aiming at {args.rate} req/s), PSS sampled every {args.every:g} s")
        print(f"requests: {requests.group(1) if requests else '?'} ({rate.group(1) if rate else '?'} req/s), "
              f"non-2xx: {errors.group(1) if errors else 0}")
        print(f"idle before the load: PSS Hearth {idle[0]:.1f} + PostgreSQL {idle[1]:.1f} = {idle[0] + idle[1]:.1f} MiB (RSS {idle[2]:.1f})")
        print("| PSS (MiB) | start | end | max | slope, whole run (MiB/min) | slope, second half (MiB/min) |")
        print("|---|---:|---:|---:|---:|---:|")
        half = samples[len(samples) // 2:]
        for name, get in (("Hearth", lambda s: s[1]), ("PostgreSQL", lambda s: s[2]), ("both", lambda s: s[1] + s[2])):
            vals = [get(s) for s in samples]
            print(f"| {name} | {vals[0]:.1f} | {vals[-1]:.1f} | {max(vals):.1f} | {slope([(s[0], get(s)) for s in samples]):+.2f} | "
                  f"{slope([(s[0], get(s)) for s in half]):+.2f} |")
        print(f"idle 2 s after the load: PSS Hearth {after[0]:.1f} + PostgreSQL {after[1]:.1f} = {after[0] + after[1]:.1f} MiB (RSS {after[2]:.1f})")
        for line in sorted(set(l for l in out.splitlines() if l.startswith("non-2xx: "))):
            print(line)
        lat = re.search(r"Latency Distribution\n((?:.*\n){4})", out)
        if lat:
            print("latency: " + ", ".join(" ".join(l.split()) for l in lat.group(1).splitlines()))
    finally:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
        shutil.rmtree(work, ignore_errors=True)


main()
