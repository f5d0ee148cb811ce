"""Benchmark of the reminder engine (not a test; never run in CI).

    python manage.py bench_reminders [--rows 500000] [--due 5000] [--emails 10000]

1. Inserts `--rows` reminder rows on PostgreSQL with one `INSERT ... SELECT generate_series` (`--due` of
   them due, the rest in the future), ANALYZEs, and times dispatcher claim passes (`claim_due`, 1,000 rows
   a pass, the beat's batch) until every due row is claimed. Everything happens in one transaction that
   is rolled back: the database is left as it was.
2. Sends `--emails` reminder e-mails (HTML + text + a meeting .ics, through the engine's e-mail
   channel, one SMTP connection per message as in production) to an SMTP sink (aiosmtpd, a dev
   dependency) that it starts on 127.0.0.1 and stops afterwards.
"""

import logging
import socket
import threading
import time
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from konflik import reminders
from konflik.channels import EmailChannel
from konflik.models import Region, Reminder


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time one dispatcher pass over many reminder rows, and e-mail throughput to a loopback SMTP sink."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=500_000)
        parser.add_argument("--due", type=int, default=5_000)
        parser.add_argument("--emails", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=1_000)

    def handle(self, *args, rows, due, emails, batch, **options):
        if connection.vendor != "postgresql":
            raise CommandError("needs PostgreSQL: set DATABASE_URL=postgres://...")
        results = []
        results += self._claim(rows=rows, due=due, batch=batch)
        if emails:
            results += self._emails(emails)
        width = max(len(name) for name, _ in results)
        self.stdout.write(f"\n{'measure':<{width}}  value")
        self.stdout.write(f"{'-' * width}  {'-' * 24}")
        for name, value in results:
            self.stdout.write(f"{name:<{width}}  {value}")

    def _claim(self, *, rows, due, batch):
        results = []
        ct = ContentType.objects.get_for_model(Region)
        try:
            with transaction.atomic():
                start = time.perf_counter()
                with connection.cursor() as cursor:
                    cursor.execute(
                        """
                        INSERT INTO konflik_reminder
                            (kind, content_type_id, object_id, region_id, due_at, status, payload, attempts, created)
                        SELECT 'bench.noop', %s, '61.71', '61.71',
                               CASE WHEN g <= %s THEN now() - (g || ' seconds')::interval
                                    ELSE now() + ((g %% 525600) || ' minutes')::interval END,
                               'pending', '{}'::jsonb, 0, now()
                        FROM generate_series(1, %s) AS g
                        """,
                        [ct.pk, due, rows],
                    )
                    inserted = time.perf_counter() - start
                    cursor.execute("ANALYZE konflik_reminder")
                    cursor.execute(
                        "EXPLAIN SELECT id FROM konflik_reminder WHERE status = 'pending' "
                        "AND due_at <= now() ORDER BY due_at LIMIT 1000 FOR UPDATE SKIP LOCKED"
                    )
                    plan = " / ".join(line for (line,) in cursor.fetchall() if "Scan" in line)
                total = Reminder.objects.count()
                passes, claimed, first = [], 0, None
                while True:
                    t0 = time.perf_counter()
                    ids = reminders.claim_due(limit=batch)
                    elapsed = time.perf_counter() - t0
                    if not ids:
                        break
                    first = first if first is not None else elapsed
                    passes.append(elapsed)
                    claimed += len(ids)
                results += [
                    ("reminder rows in table", f"{total:,}"),
                    ("insert (generate_series)", f"{inserted:.2f} s"),
                    ("due rows claimed", f"{claimed:,} in {len(passes)} passes of <= {batch:,}"),
                    ("first claim pass", f"{first * 1000:.1f} ms" if first is not None else "-"),
                    ("slowest claim pass", f"{max(passes) * 1000:.1f} ms" if passes else "-"),
                    ("all due rows claimed", f"{sum(passes) * 1000:.1f} ms"),
                    ("dispatcher query plan", plan.strip()[:90]),
                ]
                raise _Rollback
        except _Rollback:
            pass
        return results

    def _emails(self, count):
        try:
            from aiosmtpd.controller import Controller
        except ImportError as exc:
            raise CommandError("the SMTP sink needs aiosmtpd: pip install -e '.[dev]'") from exc
        from django.utils import timezone

        from teams import ics
        from teams.models import Meeting, Team

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # the sink's per-connection chatter
        received = []
        lock = threading.Lock()

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with lock:
                    received.append(len(envelope.content))
                return "250 OK"

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        controller.start()
        try:
            now = timezone.now()
            meeting = Meeting(
                pk=1,
                team=Team(name="Tim Terpadu (bench)", region_id="61.71"),
                title="Rapat (bench)",
                start=now,
                end=now,
                agenda="1. Pembukaan",
                place="Aula",
            )
            attachment = ("rapat-1.ics", ics.meeting_ics(meeting), "text/calendar")
            message = reminders.Message(
                subject="Pengingat rapat: Rapat (bench)",
                text="Yth. Bapak/Ibu,\n\nRapat akan dimulai.\n" * 5,
                html="<p>Yth. Bapak/Ibu,</p><p>Rapat akan dimulai.</p>" * 5,
                url="/tim/rapat/1/",
                attachments=[attachment],
            )
            channel = EmailChannel()
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=port,
                EMAIL_USE_TLS=False,
                EMAIL_USE_SSL=False,
                EMAIL_HOST_USER="",
                EMAIL_HOST_PASSWORD="",
            ):
                start = time.perf_counter()
                for i in range(count):
                    channel.send(
                        reminder=SimpleNamespace(pk=i),
                        recipient=reminders.Recipient(email=f"anggota{i}@bench.test"),
                        address=f"anggota{i}@bench.test",
                        message=message,
                    )
                elapsed = time.perf_counter() - start
        finally:
            controller.stop()
        return [
            (
                "e-mails sent to the loopback sink",
                f"{len(received):,} (avg {sum(received) // max(len(received), 1):,} bytes)",
            ),
            ("e-mail send time", f"{elapsed:.1f} s"),
            ("e-mail throughput", f"{count / elapsed:,.0f} messages/s (one SMTP connection each)"),
        ]
