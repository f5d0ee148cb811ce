"""A real Celery worker on Redis delivers due reminders to an SMTP sink on loopback and in-app; killed
with SIGKILL in the middle of the batch and restarted (the sweeper re-queues what it held), every due
reminder is delivered and no recipient gets one twice.

Bounded: the worker and the sink run on 127.0.0.1, everything stops within ~2 minutes, and only the
processes this test started are killed, by their process group id. The broker is a dedicated Redis
database (`KONFLIK_LIVE_REDIS_DB`, default 13), flushed before and after.
"""

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
MEETINGS, DUE_PER_MEETING, INVITEES = 12, 2, 5
REMINDERS = MEETINGS * DUE_PER_MEETING
EMAILS = REMINDERS * INVITEES
KILL_AT_RCPT = 50  # the worker dies waiting for the answer to this RCPT: mid-reminder, mid-batch


class Sink:
    """An SMTP server (aiosmtpd) that records each accepted message and can kill the worker."""

    def __init__(self):
        self.messages = []
        self.rcpts = 0
        self.kill = None  # callable, run once at the KILL_AT_RCPT-th RCPT
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            self.rcpts += 1
            kill, fire = self.kill, self.rcpts == KILL_AT_RCPT
        if fire and kill:
            kill()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append((message["Message-ID"], tuple(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


def _redis_url(db):
    parts = urlsplit(os.environ["REDIS_URL"])
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", "", ""))


def _env(redis_url, smtp_port, var_dir):
    env = dict(os.environ)
    db = connection.settings_dict
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}{':' + db['PASSWORD'] if db['PASSWORD'] else ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        REDIS_URL=redis_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        KONFLIK_VAR_DIR=str(var_dir),
        KONFLIK_CELERY_EAGER="False",
        DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "konflik.settings"),
    )
    return env


def _python(code, env):
    """Run engine code (dispatcher, sweeper) in a process that publishes to the dedicated broker."""
    script = f"import django; django.setup()\nfrom datetime import timedelta\nfrom konflik import reminders\n{code}"
    subprocess.run([sys.executable, "-c", script], env=env, cwd=BASE_DIR, check=True, timeout=60)


def _start_worker(env, log):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "konflik",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        env=env,
        cwd=BASE_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_group(proc, sig):
    # The worker's own process group (start_new_session): only what this test started.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def _wait(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


@pytest.fixture
def broker():
    import redis

    url = _redis_url(int(os.environ.get("KONFLIK_LIVE_REDIS_DB", "13")))
    client = redis.Redis.from_url(url)
    client.flushdb()  # only the dedicated database
    yield url
    client.flushdb()


@pytest.fixture
def sink():
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink()
    handler.port = port
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler
    controller.stop()


def _seed():
    from konflik import reminders
    from konflik.models import User
    from teams import reminder_kinds as kinds
    from teams.models import Meeting
    from teams.tests.factories import MemberFactory, TeamFactory

    secretariat = User.objects.create(username="sek-live", role="regency_secretariat", region_id="61.71")
    team = TeamFactory(region_id="61.71")
    members = [MemberFactory(team=team, email=f"anggota{i}@live.test") for i in range(INVITEES)]
    now = timezone.now()
    for i in range(MEETINGS):
        meeting = Meeting.objects.create(
            team=team, title=f"Rapat {i}", start=now + timedelta(hours=3), end=now + timedelta(hours=4)
        )
        for member in members:
            meeting.invitations.create(member=member)
        for minutes in range(1, DUE_PER_MEETING + 1):
            reminders.schedule(
                kind=kinds.MEETING_REMINDER, obj=meeting, due_at=now - timedelta(minutes=minutes)
            )
    return secretariat


def test_worker_killed_mid_batch_still_delivers_every_reminder_once(teams_seed, broker, sink, tmp_path):
    from konflik.models import Delivery, Notification, Reminder

    secretariat = _seed()
    env = _env(broker, sink.port, tmp_path)
    log = (tmp_path / "worker.log").open("w")
    workers = []
    try:
        _python("print(len(reminders.dispatch_due(limit=10000)))", env)
        assert Reminder.objects.filter(status="claimed").count() == REMINDERS

        killed = threading.Event()

        def kill():
            _kill_group(workers[0], signal.SIGKILL)
            killed.set()

        sink.kill = kill
        workers.append(_start_worker(env, log))
        assert killed.wait(90), (
            list(Reminder.objects.values_list("status", "content_type__model", "object_id"))[:5],
            (tmp_path / "worker.log").read_text()[-3000:],
        )
        workers[0].wait(timeout=30)
        delivered_before_restart = len(sink.messages)
        assert 0 < delivered_before_restart < EMAILS  # really mid-batch
        assert Reminder.objects.filter(status="sent").count() < REMINDERS

        # Restart; the sweeper re-queues the claim the dead worker held (and any other unfinished one).
        workers.append(_start_worker(env, log))
        _python("print(len(reminders.sweep_stale(older_than=timedelta(0))))", env)
        done = _wait(lambda: Reminder.objects.filter(status="sent").count() == REMINDERS, 90)
        assert done, (tmp_path / "worker.log").read_text()[-3000:]
        time.sleep(1)  # any duplicate task still in the queue has had time to (not) send
    finally:
        for proc in workers:
            if proc.poll() is None:
                _kill_group(proc, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    _kill_group(proc, signal.SIGKILL)
                    proc.wait(timeout=10)
        log.close()

    ids = [message_id for message_id, _to in sink.messages]
    assert len(ids) == EMAILS  # every invitee of every due reminder...
    assert len(set(ids)) == EMAILS  # ...exactly once
    assert Notification.objects.filter(user=secretariat).count() == REMINDERS
    assert Delivery.objects.count() == REMINDERS * (INVITEES + 1)
