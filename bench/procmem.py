"""Memory of Hearth and its PostgreSQL processes, read from /proc (stdlib only; used by startup.py and soak.py).

PSS (proportional set size, /proc/<pid>/smaps_rollup) splits shared pages between the processes that map
them, so summing it over Hearth + every PostgreSQL process counts PostgreSQL's shared memory and the shared
libraries once. RSS counts them again in every process that touched them.
"""
import os


def _field_kib(path, name):
    try:
        with open(path) as f:
            return next(int(l.split()[1]) for l in f if l.startswith(name))
    except (OSError, StopIteration, ValueError):
        return 0


def rss_kib(pid):
    return _field_kib(f"/proc/{pid}/status", "VmRSS:")


def pss_kib(pid):
    return _field_kib(f"/proc/{pid}/smaps_rollup", "Pss:")


def postgres_pids(data_dir):
    """The postmaster of data_dir and its children (backends, checkpointer, walwriter, ...)."""
    try:
        with open(os.path.join(data_dir, "pg_embed", "hearth", "data", "postmaster.pid")) as f:
            postmaster = int(f.readline())
    except (OSError, ValueError):
        return []
    pids = [postmaster]
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == postmaster:
                pids.append(int(entry))
    return pids


def sample(hearth_pid, data_dir):
    """(Hearth PSS, PostgreSQL PSS, total RSS) in MiB."""
    pg = postgres_pids(data_dir)
    return (pss_kib(hearth_pid) / 1024, sum(pss_kib(p) for p in pg) / 1024,
            (rss_kib(hearth_pid) + sum(rss_kib(p) for p in pg)) / 1024)
