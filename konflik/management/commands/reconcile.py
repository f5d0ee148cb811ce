"""`manage.py reconcile`: the "nothing lost" invariants, checked against the database (and, when given,
what a client was told and what a mailbox received). Prints one `name: count` line per figure and exits
with status 1 when an invariant does not hold.

- every report whose creation returned success (`--acknowledged FILE`, one id per line) exists, once;
- every reminder that came due was sent, and no (reminder, channel, recipient) was delivered twice;
  with `--mailbox FILE` (lines `message-id<TAB>recipient`), every e-mail delivery reached the mailbox
  once and nothing else did;
- nothing was delivered for a meeting after it was cancelled nor for a follow-up after it was done;
- the audit log has one `create` event per report and one `submit` per submitted report;
- every follow-up item carries its meeting's team (the copy its scope is read from).
"""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, F
from django.utils import timezone

from konflik.models import AuditEvent, Delivery, Reminder


def _lines(path):
    with open(path, encoding="utf-8") as handle:
        return [line.rstrip("\n") for line in handle if line.strip()]


class Command(BaseCommand):
    help = "Check the 'nothing lost' invariants after a fault and print the counts."

    def add_arguments(self, parser):
        parser.add_argument("--acknowledged", help="file of incident ids whose creation returned success")
        parser.add_argument("--mailbox", help="file of 'message-id<TAB>recipient' lines the mailbox got")
        parser.add_argument("--no-fail", action="store_true", help="print only; exit 0 whatever is found")

    def handle(self, *args, **options):
        from incidents.models import Incident
        from teams.models import FollowUp, Meeting

        figures, problems = {}, []

        def figure(name, value, bad=False):
            figures[name] = value
            if bad:
                problems.append(name)

        # Reports: acknowledged ⇒ exists exactly once.
        incident_type = ContentType.objects.get_for_model(Incident)
        figure("reports", Incident.objects.count())
        if options["acknowledged"]:
            acked = [int(x) for x in _lines(options["acknowledged"])]
            existing = set(Incident.objects.filter(pk__in=acked).values_list("pk", flat=True))
            figure("reports acknowledged", len(acked))
            figure("reports acknowledged twice", len(acked) - len(set(acked)), len(acked) != len(set(acked)))
            figure(
                "reports acknowledged but missing", len(set(acked) - existing), bool(set(acked) - existing)
            )
        duplicates = (
            Incident.objects.values("region_id", "year", "number")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
        figure("report numbers used twice", duplicates, duplicates > 0)

        # Audit: one create per report, one submit per submitted report.
        events = Counter(
            AuditEvent.objects.filter(
                content_type=incident_type, action__in=["create", "submit"]
            ).values_list("object_id", "action")
        )
        ids = list(Incident.objects.values_list("pk", "submitted_at"))
        wrong_create = sum(1 for pk, _s in ids if events[(str(pk), "create")] != 1)
        wrong_submit = sum(1 for pk, sub in ids if sub and events[(str(pk), "submit")] != 1)
        figure("audit create events for reports", sum(v for (_o, a), v in events.items() if a == "create"))
        figure("reports without exactly one create event", wrong_create, wrong_create > 0)
        figure("submitted reports without exactly one submit event", wrong_submit, wrong_submit > 0)

        # Copies kept for scope: a follow-up item's team is its meeting's organising team.
        astray = FollowUp.objects.exclude(team_id=F("meeting__team_id")).count()
        figure("follow-up items whose team is not their meeting's", astray, astray > 0)

        # Reminders: due ⇒ sent; each (reminder, channel, recipient) once.
        now = timezone.now()
        due = Reminder.objects.filter(due_at__lte=now).exclude(status=Reminder.Status.CANCELLED)
        figure("reminders due", due.count())
        figure("reminders due and sent", due.filter(status=Reminder.Status.SENT).count())
        unsent = due.exclude(status=Reminder.Status.SENT).count()
        figure("reminders due but not sent", unsent, unsent > 0)
        figure("reminders cancelled", Reminder.objects.filter(status=Reminder.Status.CANCELLED).count())
        figure("deliveries", Delivery.objects.count())
        twice = (
            Delivery.objects.values("reminder_id", "channel", "recipient")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        ).count()
        figure("deliveries made twice", twice, twice > 0)

        # Nothing after a meeting was cancelled or a follow-up was done.
        late = 0
        from teams import reminder_kinds as kinds

        moot = (
            # (model, audit action that stops it, its status then, the reminder kinds that must stop)
            (Meeting, "cancel", "cancelled", (kinds.MEETING_REMINDER, kinds.MEETING_INVITATION)),
            (FollowUp, "complete", "done", kinds.FOLLOWUP_KINDS),
        )
        for model, action, status, reminder_kinds in moot:
            ctype = ContentType.objects.get_for_model(model)
            stopped = {}
            events = AuditEvent.objects.filter(content_type=ctype, action=action).order_by("created")
            for object_id, created in events.values_list("object_id", "created"):
                stopped.setdefault(object_id, created)
            for object_id in model.objects.filter(status=status).values_list("pk", flat=True):
                at = stopped.get(str(object_id))
                if at is None:
                    continue
                late += Delivery.objects.filter(
                    reminder__content_type=ctype,
                    reminder__object_id=str(object_id),
                    reminder__kind__in=reminder_kinds,
                    created__gt=at,
                ).count()
        figure("deliveries after cancellation or completion", late, late > 0)

        # The mailbox: every e-mail delivery arrived once, nothing else arrived.
        if options["mailbox"]:
            received = Counter(tuple(line.split("\t", 1)) for line in _lines(options["mailbox"]))
            figure("mailbox messages", sum(received.values()))
            dup = sum(n - 1 for n in received.values() if n > 1)
            figure("mailbox messages received twice", dup, dup > 0)
            emailed = Delivery.objects.filter(channel="email").count()
            recipients = Counter(recipient for (_mid, recipient) in received)
            figure("e-mail deliveries", emailed)
            figure(
                "e-mail deliveries missing from the mailbox",
                max(0, emailed - len(received)),
                emailed > len(received),
            )
            figure("mailbox recipients", len(recipients))

        width = max(len(name) for name in figures)
        for name, value in figures.items():
            marker = "  <-- FAILED" if name in problems else ""
            self.stdout.write(f"{name.ljust(width)}: {value}{marker}")
        if problems and not options["no_fail"]:
            raise CommandError(f"{len(problems)} invariant(s) do not hold: {', '.join(problems)}")
