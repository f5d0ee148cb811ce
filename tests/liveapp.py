"""A gunicorn of the application on a free loopback port, on the test database, for the fuzz and fault
suites. Only the processes started here are stopped, by their own process group."""

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = BASE_DIR / ".venv" / "bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def redis_url(db, base=None):
    parts = urlsplit(base or os.environ["REDIS_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


def app_env(var_dir, **extra):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        KONFLIK_VAR_DIR=str(var_dir),
        KONFLIK_MEDIA_ROOT=str(Path(var_dir) / "uploads"),
        KONFLIK_CELERY_EAGER="False",
        DJANGO_SETTINGS_MODULE="konflik.settings",
        # the fuzzer and the load are not what the rate limits are for
        KONFLIK_RATE_SEARCH="100000/min",
        KONFLIK_RATE_EXPORT="100000/min",
        KONFLIK_RATE_TOKEN="100000/min",
        KONFLIK_CONN_MAX_AGE="60",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


@contextlib.contextmanager
def gunicorn(env, log_path, workers=2):
    port = free_port()
    log = open(log_path, "ab")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "konflik.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            # the fuzzer's long query strings must reach Django (a front proxy sets its own limit)
            "--limit-request-line",
            "0",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/masuk/", timeout=2)  # noqa: S310 (loopback)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(Path(log_path).read_text()[-3000:])
                time.sleep(0.3)
        yield base, proc
    finally:
        stop(proc)
        log.close()


def stop(proc, sig=signal.SIGTERM, timeout=20):
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
