"""The benchmark's machinery: the bench databases, servers pinned to a core, and wrk.

Every server is started in a process group of its own and stopped, group and all, when its
``with`` block ends, whatever ends it (an error, Ctrl-C, SIGTERM: see ``stop_on_signals``).
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
#: The PostgreSQL server the bench databases are built on (its ``postgres`` database is used to create them).
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
#: Only such names are ever dropped: never ``secretariat``, never a test database.
BENCH_NAME = re.compile(r"bench_[a-z0-9_]+")
#: Variables of the caller's environment that would change what is measured.
CLEARED = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URLS",
    "CACHE_URL",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "WEB_CONCURRENCY",
    "BIND",
    "PORT",
    "GUNICORN_CMD_ARGS",
)
# One key for the whole run: the servers and the page list need no other.
SECRET_KEY = secrets.token_urlsafe(50)


def stop_on_signals():
    """Ctrl-C, SIGTERM and SIGHUP unwind the run, so that the ``finally`` blocks stop the servers.

    SIGINT is set explicitly: a process started in the background by a script inherits it ignored.
    """

    def leave(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, leave)
    signal.signal(signal.SIGHUP, leave)


def database_url(name: str) -> str:
    if not BENCH_NAME.fullmatch(name):
        raise ValueError(f"A bench database is named bench_…, not {name!r}.")
    return f"{POSTGRES_URL}/{name}"


def production_env(database: str, cache_url: str = "dummy://", **extra) -> dict:
    """The environment of the production stack, on a bench database, without TLS."""
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="secretariat.settings",
        DATABASE_URL=database_url(database),
        CACHE_URL=cache_url,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _admin_connection(database: str = "postgres"):
    import psycopg

    return psycopg.connect(f"{POSTGRES_URL}/{database}", autocommit=True)


def unreachable_services(redis_url: str) -> list[str]:
    """What the run needs and cannot reach: PostgreSQL, Redis (each with the reason)."""
    import psycopg
    import redis

    problems = []
    try:
        _admin_connection().close()
    except psycopg.Error as error:
        problems.append(f"PostgreSQL at {POSTGRES_URL} (BENCH_POSTGRES_URL): {error}")
    try:
        redis.Redis.from_url(redis_url).ping()
    except redis.RedisError as error:
        problems.append(f"Redis at {redis_url} (BENCH_REDIS_URL): {error}")
    return problems


def database_exists(name: str) -> bool:
    database_url(name)  # checks the name
    with _admin_connection() as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def build_database(name: str, *, generate: dict | None = None, log=print) -> None:
    """Drop and recreate ``name``: migrate, the reference archive, ``generate_archive`` if asked, VACUUM ANALYZE."""
    from psycopg import sql

    database_url(name)  # checks the name before anything is dropped
    started = time.monotonic()
    with _admin_connection() as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = production_env(name)
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("loaddata", "reference_archive", "-v", "0", env=env)
    if generate is not None:
        manage(
            "generate_archive",
            f"--press-releases={generate['press_releases']}",
            f"--meetings={generate['meetings']}",
            env=env,
        )
    with _admin_connection(name) as connection:
        connection.execute("VACUUM ANALYZE")
    log(f"  {name} built in {time.monotonic() - started:.0f} s")


def describe(database: str) -> dict:
    """The benchmarked pages (their paths in this database) and the archive's size: ``bench.pagelist``."""
    result = subprocess.run(
        [PYTHON, "-m", "bench.pagelist"], cwd=ROOT, env=production_env(database), capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"Could not list the pages of {database}:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


# Cores ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cores:
    """The core the servers run on and the one wrk runs on (None: no pinning, fewer than two cores)."""

    server: int | None
    load: int | None

    @classmethod
    def split(cls) -> "Cores":
        available = sorted(os.sched_getaffinity(0))
        if len(available) < 2:
            return cls(None, None)
        return cls(server=available[-1], load=available[0])

    @staticmethod
    def pin(core: int | None, command: list[str]) -> list[str]:
        return ["taskset", "--cpu-list", str(core), *command] if core is not None else command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Servers -------------------------------------------------------------------------------------


def fetch(url: str, timeout: float = 60) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - our own server
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


@contextlib.contextmanager
def running(command: list[str], *, env: dict, port: int, ready_path: str, name: str, log_dir: Path):
    """Run a server until the block ends; wait until it answers ``ready_path``; yield its base URL."""
    stderr_path = log_dir / f"{name}.log"
    with open(stderr_path, "wb") as stderr:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}):\n{stderr_path.read_text()[-3000:]}")
            try:
                fetch(base + ready_path, timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer in 90 s:\n{stderr_path.read_text()[-3000:]}") from None
                time.sleep(0.2)
        yield base
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the server's process group (master and workers), SIGKILL if it lingers."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def gunicorn(env: dict, *, core: int | None, log_dir: Path, name: str):
    """The production stack as ``make serve`` runs it (gunicorn.conf.py), with ONE worker, pinned to ``core``."""
    port = free_port()
    env = {**env, "WEB_CONCURRENCY": "1", "BIND": f"127.0.0.1:{port}"}
    command = Cores.pin(core, [GUNICORN, "--config", "gunicorn.conf.py"])
    return running(command, env=env, port=port, ready_path="/fr/", name=name, log_dir=log_dir)


NGINX_CONF = """\
# Generated by bench/harness.py: static files, one worker, nothing logged but errors.
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; }}
    default_type application/octet-stream;
    charset utf-8;
    access_log off;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {docroot};
        location / {{ try_files $uri =404; }}
    }}
}}
"""


def nginx(docroot: Path, *, core: int | None, log_dir: Path, ready_path: str):
    """Debian's nginx serving ``docroot``, one worker, pinned to ``core``."""
    port = free_port()
    run = Path(tempfile.mkdtemp(prefix="nginx-", dir=log_dir))
    config = run / "nginx.conf"
    config.write_text(NGINX_CONF.format(run=run, port=port, docroot=docroot))
    # Started as root, nginx's worker runs as nobody: it must be able to read the pages.
    for path in (log_dir, run, docroot):
        path.chmod(0o755)
    command = Cores.pin(core, ["nginx", "-e", str(run / "nginx-error.log"), "-p", str(run), "-c", str(config)])
    return running(command, env=dict(os.environ), port=port, ready_path=ready_path, name="nginx", log_dir=log_dir)


def flush_redis(url: str) -> None:
    """Empty the Redis database of the cached run (its own number, named in the URL)."""
    import redis

    if not re.search(r"/\d+$", url):
        raise ValueError(
            f"BENCH_REDIS_URL must name a database number of its own, e.g. redis://127.0.0.1:6379/14, not {url!r}."
        )
    redis.Redis.from_url(url).flushdb()


# wrk -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    """What wrk reports for one page: throughput, the 99th percentile latency, and what went wrong."""

    requests_per_second: float
    p99_ms: float
    requests: int
    failures: int  # non-2xx/3xx responses and socket errors: such a figure is not the page's

    UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}

    @classmethod
    def parse(cls, output: str) -> "Measurement":
        rate = re.search(r"Requests/sec:\s*([\d.]+)", output)
        p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        count = re.search(r"^\s*(\d+) requests in", output, re.M)
        if not (rate and p99 and count):
            raise ValueError(f"Unexpected wrk output:\n{output}")
        failures = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s*(\d+)", output))
        errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
        if errors:
            failures += sum(int(n) for n in errors.groups())
        return cls(float(rate[1]), float(p99[1]) * cls.UNITS[p99[2]], int(count[1]), failures)


def wrk(url: str, *, seconds: int, core: int | None) -> Measurement:
    """One connection, one thread, for ``seconds``; latencies up to 30 s are counted, not dropped."""
    command = Cores.pin(core, ["wrk", "-t1", "-c1", f"-d{seconds}s", "--timeout", "30s", "--latency", url])
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return Measurement.parse(result.stdout)


def version(command: list[str]) -> str:
    """The version a tool reports (``gunicorn (version 27.0.1)``, ``nginx/1.22.1``, ``wrk debian/4.1.0-3``)."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    found = re.search(r"(\d+\.\d+(?:\.\d+)?[\w.+~-]*)", result.stdout + result.stderr)
    return found[1] if found else "?"
