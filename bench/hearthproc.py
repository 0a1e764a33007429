"""Starting a Hearth binary from the Python benches (stdlib only; used by startup.py and soak.py)."""
import re, subprocess


def serve(binary, data_dir, migrations, env=None, err_path=None):
    """Runs `hearth serve` on port 0 and returns (process, URL) once it prints its one stdout line.
    Its stderr goes to err_path (shown if it exits before listening), else nowhere."""
    err = open(err_path, "w") if err_path else subprocess.DEVNULL
    p = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--migrations", migrations, "--port", "0"],
                         stdout=subprocess.PIPE, stderr=err, text=True, env=env)
    for line in p.stdout:
        m = re.match(r"Hearth listening on (\S+)", line)
        if m:
            return p, m.group(1)
    raise SystemExit("hearth exited before it was ready" + (": " + open(err_path).read() if err_path else ""))
