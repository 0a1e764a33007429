#!/usr/bin/env python3
"""Developer-loop benchmark for a built Hearth binary (stdlib only). Medians of N runs:
  * serve --watch: a new migration file written -> the new table answers GET 200 (polled every 10 ms)
  * db reset of examples/quickstart (an existing data dir: delete, template cluster, migrations)
  * serve --ephemeral: start of the process -> first GET /todos answered 200 (quickstart migrations)

Usage: python3 bench/devloop.py [path/to/hearth] [runs]
"""
import os, re, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.error, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "artifacts", "hearth"))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
quickstart = os.path.join(root, "examples", "quickstart", "migrations")


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return 0


def serve(args):
    p = subprocess.Popen([binary, "serve", "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        m = re.match(r"Hearth listening on (\S+)", line)
        if m:
            return p, m.group(1)
    raise SystemExit("Hearth exited before it was ready")


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(60)


def watch_latency(work, i):
    migrations = os.path.join(work, f"watch-{i}")
    shutil.copytree(quickstart, migrations)
    p, url = serve(["--data-dir", os.path.join(work, f"data-{i}"), "--migrations", migrations, "--watch"])
    try:
        time.sleep(1.5)  # let the watcher and listener settle
        t0 = time.perf_counter()
        with open(os.path.join(migrations, "20990101000000_added.sql"), "w") as f:
            f.write("create table added (id int primary key); grant select on added to anon;\n")
        while status(f"{url}/added") != 200:
            time.sleep(0.01)
        return time.perf_counter() - t0
    finally:
        stop(p)


def db_reset(data):
    t0 = time.perf_counter()
    subprocess.run([binary, "db", "reset", "--data-dir", data, "--migrations", quickstart], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def ephemeral_first_200():
    t0 = time.perf_counter()
    p, url = serve(["--ephemeral", "--migrations", quickstart])
    while status(f"{url}/todos") != 200:
        time.sleep(0.005)
    elapsed = time.perf_counter() - t0
    stop(p)
    return elapsed


def median_ms(xs):
    return f"{statistics.median(xs) * 1000:.0f} ms (min {min(xs) * 1000:.0f}, max {max(xs) * 1000:.0f})"


with tempfile.TemporaryDirectory(prefix="hearth-devloop-") as work:
    os.chmod(work, 0o755)
    subprocess.run([binary, "migrate", "--data-dir", os.path.join(work, "warm")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # unpack PostgreSQL into the cache first
    watch = [watch_latency(work, i) for i in range(runs)]
    reset_data = os.path.join(work, "reset")
    subprocess.run([binary, "migrate", "--data-dir", reset_data, "--migrations", quickstart], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    reset = [db_reset(reset_data) for _ in range(runs)]
    ephemeral = [ephemeral_first_200() for _ in range(runs)]
print(f"Hearth {binary}, {runs} runs, {os.cpu_count()} CPUs")
print(f"serve --watch: migration file written -> new table served: {median_ms(watch)}")
print(f"db reset (examples/quickstart):                          {median_ms(reset)}")
print(f"serve --ephemeral: process start -> first 200:             {median_ms(ephemeral)}")
