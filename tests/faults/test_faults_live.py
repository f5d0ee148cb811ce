"""The fault suite: a gunicorn of the app, a real Celery worker, its own Redis (a `redis-server` this
test starts on a free loopback port) and PostgreSQL. Under a bounded load of report filings, the test
runs two dispatchers at once, terminates the app's database backends twice and restarts Redis (which
empties it: no persistence). Afterwards `manage.py reconcile` must find nothing lost: every acknowledged
report exists once with its audit events, every due reminder was delivered once to the SMTP sink, and
nothing went out for a meeting cancelled or a follow-up finished while its reminder was queued.

The worker killed mid-send is tests/live/test_reminders_live.py. Bounded: loopback only, a fixed number
of requests, every wait has a deadline; only the processes this test started are stopped, by pid.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import make_user
from tests.live.test_reminders_live import Sink, _start_worker
from tests.liveapp import BASE_DIR, app_env, free_port, gunicorn, stop

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

REPORTS = int(os.environ.get("KONFLIK_FAULT_REPORTS", "80"))
MEETINGS, DUE_PER_MEETING, INVITEES = 8, 2, 4
MARKER = "ZZLEAKB"
SAMPLED_READS = [
    "/api/incidents/?q=zzleakb",
    "/api/incidents/?region=61.01",
    "/api/conflict-potentials/?q=zzleakb",
    "/api/meetings/",
]


@contextlib.contextmanager
def own_redis(tmp_path):
    """A redis-server of this test's own (never the machine's on 6379), restartable."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    state = {}

    def start():
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        state["proc"] = proc
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        deadline = time.monotonic() + 20
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def restart():
        stop(state["proc"])  # no persistence: it comes back empty (restarted and flushed)
        start()

    start()
    try:
        yield f"redis://127.0.0.1:{port}/0", restart
    finally:
        stop(state["proc"])


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = Sink()
    handler.port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=handler.port)
    controller.start()
    yield handler
    controller.stop()


def seed():
    """Due reminders of eight meetings, and one meeting and one follow-up whose reminders will be
    queued and then made moot (cancelled, done) before the worker runs."""
    from incidents.tests.factories import PotentialFactory
    from konflik import reminders
    from teams import reminder_kinds as kinds
    from teams.models import Meeting
    from teams.tests.factories import FollowUpFactory, MemberFactory, TeamFactory

    secretariat = make_user("sek-a", "regency_secretariat", "61.71")
    team = TeamFactory(region_id="61.71")
    members = [MemberFactory(team=team, email=f"anggota{i}@fault.test") for i in range(INVITEES)]
    now = timezone.now()
    for i in range(MEETINGS + 1):
        meeting = Meeting.objects.create(
            team=team, title=f"Rapat {i}", start=now + timedelta(hours=3), end=now + timedelta(hours=4)
        )
        for member in members:
            meeting.invitations.create(member=member)
        # the moot meeting's reminders are the oldest: the first claim takes them
        offset = timedelta(hours=1) if i == MEETINGS else timedelta(0)
        for minutes in range(1, DUE_PER_MEETING + 1):
            reminders.schedule(
                kind=kinds.MEETING_REMINDER, obj=meeting, due_at=now - offset - timedelta(minutes=minutes)
            )
    moot_meeting = meeting
    item = FollowUpFactory(meeting=Meeting.objects.first(), owner=members[0])
    reminders.schedule(kind=kinds.FOLLOWUP_DUE, obj=item, due_at=now - timedelta(hours=2))
    # regency B's rows, with a marker that no read as regency A may return
    from incidents import services as incident_services
    from incidents.tests.conftest import service_data

    incident_services.incident_create(
        actor=make_user("sek-b", "regency_secretariat", "61.01"),
        region="61.01",
        data=service_data(title=f"Bentrok {MARKER}", latitude="1.360000", longitude="109.300000"),
    )
    PotentialFactory(region_id="61.01", title=f"Potensi {MARKER}")
    Meeting.objects.create(
        team=TeamFactory(region_id="61.01"),
        title=f"Rapat {MARKER}",
        start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=1),
    )
    return secretariat, moot_meeting, item


def terminate_app_backends():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def run_engine(code, env):
    script = f"import django; django.setup()\nfrom datetime import timedelta\nfrom konflik import reminders\n{code}"
    return subprocess.Popen([sys.executable, "-c", script], env=env, cwd=BASE_DIR)


class Load(threading.Thread):
    """Files REPORTS reports through the API, one after another, submits every third one, and every
    fourth step reads a list or a search as regency A (sampled for regency B's marker)."""

    def __init__(self, base, token):
        super().__init__(daemon=True)
        self.base, self.token = base, token
        self.acknowledged, self.statuses, self.done, self.leaks = [], [], 0, []

    def post(self, path, body):
        request = urllib.request.Request(
            self.base + path,
            data=json.dumps(body).encode(),
            headers={"Authorization": f"Token {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, {}
        except OSError:
            return 0, {}

    def get(self, path):
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except OSError:
            return 0, ""

    def run(self):
        from incidents.tests.conftest import payload

        for i in range(REPORTS):
            if i % 4 == 0:  # sampled reads as regency A: never regency B's marker
                path = SAMPLED_READS[(i // 4) % len(SAMPLED_READS)]
                status, text = self.get(path)
                self.statuses.append(status)
                if MARKER in text:
                    self.leaks.append(path)
            status, body = self.post("/api/incidents/", payload(title=f"Laporan beban {i}"))
            self.statuses.append(status)
            if status == 201:
                self.acknowledged.append(body["id"])
                if i % 3 == 0:
                    self.statuses.append(self.post(f"/api/incidents/{body['id']}/submit/", {})[0])
            self.done = i + 1
            time.sleep(0.05)


def wait_until(predicate, timeout, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()


def test_nothing_lost_under_faults(teams_seed, sink, tmp_path, settings):
    from konflik.models import Reminder
    from teams import services

    secretariat, moot_meeting, item = seed()
    from conftest import api_key_for

    token = api_key_for(secretariat, name="faults")
    log_path = tmp_path / "app.log"
    workers, events = [], []
    with own_redis(tmp_path) as (redis_url, restart_redis):
        env = app_env(
            tmp_path / "var",
            REDIS_URL=redis_url,
            EMAIL_URL=f"smtp://127.0.0.1:{sink.port}",
            KONFLIK_MEDIA_ROOT=settings.MEDIA_ROOT,
        )
        # The moot reminders are claimed and queued first, then their meeting is cancelled and their
        # follow-up finished: the worker must re-read them and send nothing.
        assert run_engine(f"reminders.dispatch_due(limit={DUE_PER_MEETING + 1})", env).wait(60) == 0
        assert Reminder.objects.filter(status="claimed").count() == DUE_PER_MEETING + 1
        services.meeting_cancel(actor=secretariat, meeting=moot_meeting)
        services.followup_complete(actor=secretariat, follow_up=item)
        with gunicorn(env, log_path) as (base, _server), open(log_path, "ab") as log:
            try:
                workers.append(_start_worker(env, log))
                load = Load(base, token)
                load.start()
                steps = [
                    (
                        10,
                        "two dispatchers at once",
                        lambda: [
                            p.wait(60)
                            for p in [run_engine("reminders.dispatch_due()", env) for _ in range(2)]
                        ],
                    ),
                    (25, "database backends terminated", terminate_app_backends),
                    (40, "redis restarted and flushed", restart_redis),
                    (55, "database backends terminated", terminate_app_backends),
                ]
                for at, name, action in steps:
                    assert wait_until(lambda at=at: load.done >= at or not load.is_alive(), 120)
                    events.append((name, load.done, action()))
                load.join(180)
                assert not load.is_alive()

                # What the flush lost is still claimed in the database: the sweeper re-queues it.
                def settled():
                    run_engine(
                        "reminders.sweep_stale(older_than=timedelta(0)); reminders.dispatch_due()", env
                    ).wait(60)
                    return not Reminder.objects.filter(
                        due_at__lte=timezone.now(), status__in=["pending", "claimed"]
                    ).exists()

                assert wait_until(settled, 120, step=3), list(Reminder.objects.values_list("status", "kind"))
                time.sleep(2)  # a duplicate task still queued has had time to (not) send
            finally:
                for proc in workers:
                    stop(proc)
    acked = tmp_path / "acknowledged.txt"
    acked.write_text("".join(f"{pk}\n" for pk in load.acknowledged))
    mailbox = tmp_path / "mailbox.txt"
    mailbox.write_text("".join(f"{mid}\t{to}\n" for mid, tos in sink.messages for to in tos))
    result = subprocess.run(
        [sys.executable, "manage.py", "reconcile", "--acknowledged", str(acked), "--mailbox", str(mailbox)],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = sum(1 for s in load.statuses if s >= 500 or s == 0)
    server_errors = [line for line in log_path.read_text().splitlines() if "Internal Server Error" in line]
    report = (
        f"faults: {events}\nrequests: {len(load.statuses)}, acknowledged reports: {len(load.acknowledged)}, "
        f"5xx or dropped: {errors} {server_errors}, cross-region markers in sampled reads: {len(load.leaks)}\n"
        f"{result.stdout}{result.stderr}"
    )
    print(report)
    assert result.returncode == 0, report + (log_path.read_text()[-4000:])
    assert not load.leaks, load.leaks  # sampled reads under load: no cross-region marker
    from rest_framework.test import APIClient

    province = APIClient()
    province.force_authenticate(make_user("sekprov", "province_secretariat", "61"))
    assert MARKER in province.get("/api/incidents/?q=zzleakb").content.decode()  # the sample can fail
    assert len(load.acknowledged) >= REPORTS - 4, report
    # A request whose database connection is cut mid-query may fail (at most the ones in flight);
    # CONN_HEALTH_CHECKS makes every later request reconnect.
    assert errors <= 4, report + log_path.read_text()[-4000:]
    # every due reminder to every invitee, and the cancelled meeting's cancellation notice
    assert len(sink.messages) == (MEETINGS * DUE_PER_MEETING + 1) * INVITEES, report
