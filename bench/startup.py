#!/usr/bin/env python3
"""Startup and idle-memory benchmark for a built Hearth binary (stdlib only).

Measures (medians of N runs; the PostgreSQL files are unpacked into the cache before timing):
  * start of the process -> first `GET /todos` answered 200, on a brand-new data dir (template cluster
    + the quickstart migrations) and on an existing one
  * idle memory of Hearth plus all its PostgreSQL processes, 2 s after the first request: PSS (shared
    pages counted once, see procmem.py) and RSS

Usage: python3 bench/startup.py [path/to/hearth] [runs]
"""
import os, shutil, signal, statistics, subprocess, sys, tempfile, time, urllib.request
from procmem import sample
from hearthproc import serve

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "artifacts", "hearth"))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 7
migrations = os.path.join(root, "examples", "quickstart", "migrations")


def start(data_dir):
    t0 = time.perf_counter()
    p, url = serve(binary, data_dir, migrations)
    with urllib.request.urlopen(url + "/todos") as r:
        assert r.status == 200
    return p, (time.perf_counter() - t0) * 1000


def stop(p):
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)


def main():
    work = tempfile.mkdtemp(prefix="hearth-bench-")
    os.chmod(work, 0o755)
    data = os.path.join(work, "data")
    try:
        p, _ = start(os.path.join(work, "warmup"))  # unpacks the embedded PostgreSQL once: not what we measure
        stop(p)
        fresh = []
        for i in range(runs):
            p, ms = start(os.path.join(work, f"fresh-{i}"))
            fresh.append(ms)
            stop(p)
        p, _ = start(data)
        stop(p)
        times, hearth_pss, pg_pss, rss = [], [], [], []
        for _ in range(runs):
            p, ms = start(data)
            times.append(ms)
            time.sleep(2)
            h, pg, r = sample(p.pid, data)
            hearth_pss.append(h)
            pg_pss.append(pg)
            rss.append(r)
            stop(p)
        print(f"binary: {binary}")
        print(f"start -> first GET /todos 200, empty data dir: median {statistics.median(fresh):.0f} ms "
              f"(min {min(fresh):.0f}, max {max(fresh):.0f}, {runs} runs)")
        print(f"start -> first GET /todos 200, existing data dir: median {statistics.median(times):.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}, {runs} runs)")
        total = [h + pg for h, pg in zip(hearth_pss, pg_pss)]
        print(f"idle PSS, Hearth + PostgreSQL processes: median {statistics.median(total):.1f} MiB "
              f"(Hearth {statistics.median(hearth_pss):.1f}, PostgreSQL {statistics.median(pg_pss):.1f})")
        print(f"idle RSS, Hearth + PostgreSQL processes: median {statistics.median(rss):.1f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


main()
