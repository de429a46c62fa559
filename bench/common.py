"""Shared helpers for the benchmarks: a PostgreSQL database with synthetic data, gunicorn, wrk."""

import os
import platform
import re
import runpy
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = "postgres://postgres@127.0.0.1:5432"


def run(*args, env=None, check=True, capture=False):
    return subprocess.run(args, cwd=ROOT, env=env, check=check, text=True,
                          capture_output=capture)


def psql(sql, database="postgres"):
    return run("psql", "-q", "-t", "-A", "-h", "127.0.0.1", "-U", "postgres", "-c", sql, database, capture=True)


def environment(database, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DATABASE_URL=f"{PG}/{database}", DJANGO_DEBUG="0", **extra)
    return env


def timed_manage(env, *args):
    started = time.monotonic()
    run(PYTHON, "manage.py", *args, env=env)
    return time.monotonic() - started


def fresh_database(name):
    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"')


def database_has(name, sql):
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").stdout.strip()
    if exists != "1":
        return None
    result = run("psql", "-q", "-t", "-A", "-h", "127.0.0.1", "-U", "postgres", "-c", sql, name,
                 capture=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def gunicorn_workers():
    """The workers gunicorn.conf.py gives gunicorn in this environment (WEB_CONCURRENCY, or its default)."""
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"]


class Server:
    """gunicorn on a loopback port, with the project's gunicorn.conf.py."""

    def __init__(self, env, port, log_path, workers=None):
        self.env = dict(env, PORT=str(port), GUNICORN_ACCESS_LOG="/dev/null")
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        self.port = port
        self.log_path = log_path
        self.process = None

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "--config", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not start; see {self.log_path}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        if getattr(self, "log", None):
            self.log.close()

    def worker_pids(self):
        result = run("pgrep", "-P", str(self.process.pid), capture=True, check=False)
        return [int(pid) for pid in result.stdout.split()]


def rss_kib(pid):
    """A process's resident memory in KiB (VmRSS in /proc/<pid>/status), or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def wrk(url, seconds, connections=16, threads=2, script=None, headers=(), env=None):
    """Runs wrk against `url`; the parsed figures, and wrk's whole output as "output".

    `env` is the environment wrk (and so its Lua script, through os.getenv) sees.
    """
    if not shutil.which("wrk"):
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for header in headers:
        args += ["-H", header]
    if script:
        args += ["-s", str(script)]
    output = run(*args, url, capture=True, env=env).stdout
    return dict(parse_wrk(output), output=output)


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_latency(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def parse_wrk(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = parse_latency(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = parse_latency(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "requests": requests, "errors": errors}


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    python = platform.python_version()
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}){memory}, Python {python}"


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _fixed_work():
    """Always the same pure-Python work, of the kinds a render does: formatting, lists, dicts, joins."""
    parts, counts = [], {}
    for number in range(100_000):
        key = f"k{number % 97}"
        parts.append(key)
        counts[key] = counts.get(key, 0) + 1
    return len("".join(parts)) + len(counts)


def python_speed(runs=5):
    """The machine's speed now: the CPU milliseconds of `_fixed_work()`, the median of `runs`.

    A machine shared with others runs the same code faster or slower from one hour to the next.
    Taken before and after a run, it tells a change of the code from a change of the machine.
    """
    times = []
    for _ in range(runs):
        started = time.process_time()
        _fixed_work()
        times.append((time.process_time() - started) * 1000)
    return median(times)


def speed_line(before, after):
    """The report's sentence on the machine's speed at the start and at the end of a run."""
    apart = abs(after - before) / min(before, after)
    return (
        f"The machine's speed: a fixed Python workload (`python_speed()` in `bench/common.py`) took "
        f"{before:.1f} ms of CPU before the run and {after:.1f} ms after it ({apart:.0%} apart)"
        + ("." if apart <= 0.10 else ": the machine's speed moved during the run, and its figures with it.")
    )


def write_section(path, start, end, lines, heading):
    """Puts `lines` between the markers `start` and `end` of a Markdown file, or at its end under `heading`."""
    section = "\n".join([start, *lines, end])
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if start in text and end in text:
        text = text[: text.index(start)] + section + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
