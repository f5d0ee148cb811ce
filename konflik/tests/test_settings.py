"""The settings of a first run: the embedded SQLite file is shared by several processes."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

# What `manage.py adduser` does beside a running worker, in miniature: a transaction that reads, then
# spends a moment (hashing a password), then writes. Run by two processes at once, many times.
WRITER = """
import sys, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS writes (who TEXT)")
for _ in range(int(sys.argv[2])):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM writes")
            time.sleep(0.02)
            cursor.execute("INSERT INTO writes VALUES (%s)", [sys.argv[1]])
print("done")
"""


def test_two_processes_writing_the_first_run_database_at_once_both_succeed(tmp_path):
    """A command typed beside `make run` must not fail with "database is locked": with SQLite's
    defaults one of two read-then-write transactions fails at once, whatever the busy timeout."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="konflik.settings", KONFLIK_VAR_DIR=str(tmp_path), KONFLIK_ENV="")
    writes = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(writes)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("worker", "command")
    ]
    results = [proc.communicate(timeout=120) for proc in procs]
    for proc, (out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0 and out.strip() == "done", err[-2000:]

    import sqlite3

    with sqlite3.connect(tmp_path / "konflik.sqlite3") as db:
        assert db.execute("SELECT who, count(*) FROM writes GROUP BY who ORDER BY who").fetchall() == [
            ("command", writes),
            ("worker", writes),
        ]
