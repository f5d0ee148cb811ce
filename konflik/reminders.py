"""The reminder engine: generic, used by every app for its reminders and alerts.

An app defines what it reminds of by subclassing `ReminderKind` and registering an instance in its
`AppConfig.ready()`:

    class MeetingSoon(reminders.ReminderKind):
        key = "teams.meeting_soon"

        def recipients(self, reminder, obj):      # who gets it
            return [reminders.Recipient(name=m.name, email=m.email, user=m.user) for m in ...]

        def is_relevant(self, reminder, obj):     # re-read before sending: False sends nothing
            return obj.status == "scheduled"

        def render(self, reminder, obj, recipient):
            return reminders.Message(subject=..., text=..., html=..., url=obj.get_absolute_url())

    reminders.register(MeetingSoon())

and plans rows inside its service's transaction with `schedule(...)`, re-plans with
`cancel_pending(...)` + `schedule(...)`. The rest is the engine's:

- `dispatch_due()` (beat, every minute) claims due rows with `SELECT ... FOR UPDATE SKIP LOCKED` and
  a conditional update, and enqueues one `send_reminder` task per row after commit: two dispatchers at
  once still claim each row once.
- `deliver(reminder_id)` (the task) re-reads the row and the object, sends nothing for an irrelevant
  one, and delivers per channel and recipient, recording each in the `Delivery` ledger whose unique
  row makes a second run a no-op.
- `sweep_stale()` (beat) re-enqueues claimed rows that never finished (broker lost, worker killed).

Exactly-once: the in-app channel writes its notification in the same transaction as the ledger row.
For email the ledger row is written in the transaction around the SMTP call; only a crash between the
SMTP server's acceptance and that commit can repeat a mail, and the stable `Message-ID` header lets
mail clients drop the repeat.
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation

from .models import Delivery, Reminder
from .scoping import scope_region_code

log = logging.getLogger(__name__)


@dataclass
class Recipient:
    """Someone to tell: a user account (in-app, and email if it has one) or a bare contact."""

    name: str = ""
    email: str = ""
    user: object = None  # konflik.User or None
    #: limit this recipient to some of the kind's channels (e.g. `("in_app",)`); None = all of them
    channels: tuple | None = None

    @property
    def email_address(self):
        return (self.email or getattr(self.user, "email", "") or "").strip().lower()


@dataclass
class Message:
    subject: str
    text: str
    html: str = ""
    url: str = ""
    # (filename, content, mimetype), e.g. a meeting's .ics
    attachments: list = field(default_factory=list)


class ReminderKind:
    key: str = ""
    #: the channels this kind uses (names from konflik.channels.CHANNELS)
    channels: tuple = ("email", "in_app")

    def recipients(self, reminder, obj) -> list[Recipient]:
        raise NotImplementedError

    def is_relevant(self, reminder, obj) -> bool:
        return True

    def render(self, reminder, obj, recipient) -> Message:
        raise NotImplementedError


_kinds: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    if not kind.key:
        raise ValueError("a reminder kind needs a key")
    _kinds[kind.key] = kind
    return kind


def get_kind(key: str) -> ReminderKind | None:
    return _kinds.get(key)


def schedule(
    *,
    kind: str,
    obj,
    due_at,
    dedupe_key: str | None = None,
    payload: dict | None = None,
    region_code: str | None = None,
) -> Reminder | None:
    """Plan a reminder about `obj` at `due_at`. Call it inside the transaction that writes `obj`.

    With a `dedupe_key`, a reminder of this kind with this key is planned only once, ever (alerts
    "once per cause"): the second call returns None.
    """
    if kind not in _kinds:
        raise ValueError(f"unknown reminder kind {kind!r}")
    reminder = Reminder(
        kind=kind,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        region_id=region_code or scope_region_code(obj),
        due_at=due_at,
        dedupe_key=dedupe_key,
        payload=payload or {},
    )
    if dedupe_key is None:
        reminder.save()
        return reminder
    try:
        with transaction.atomic():  # a savepoint: a duplicate must not break the caller's transaction
            reminder.save()
    except IntegrityError:
        return None
    return reminder


def alert(*, kind: str, obj, dedupe_key: str, payload: dict | None = None) -> Reminder | None:
    """Send now, once per cause: planned due immediately and enqueued when the transaction commits."""
    reminder = schedule(kind=kind, obj=obj, due_at=timezone.now(), dedupe_key=dedupe_key, payload=payload)
    if reminder is not None:
        transaction.on_commit(lambda: _enqueue_claimed([reminder.pk], claim=True))
    return reminder


def reminders_for(obj, kind: str | None = None):
    qs = Reminder.objects.filter(
        content_type=ContentType.objects.get_for_model(obj.__class__), object_id=str(obj.pk)
    )
    return qs.filter(kind=kind) if kind else qs


def cancel_pending(*, obj, kind: str | None = None) -> int:
    """Cancel the reminders about `obj` that have not been claimed yet."""
    return (
        reminders_for(obj, kind)
        .filter(status=Reminder.Status.PENDING)
        .update(status=Reminder.Status.CANCELLED, finished_at=timezone.now())
    )


# --- dispatching ---------------------------------------------------------------------------------------


def claim_due(*, now=None, limit: int = 1000) -> list[int]:
    """Claim up to `limit` due reminders; each row is claimed by exactly one caller."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.PENDING, due_at__lte=now)
            .order_by("due_at")
            .values_list("id", flat=True)[:limit]
        )
        if not ids:
            return []
        # The conditional update is the claim on databases without row locks (SQLite).
        Reminder.objects.filter(id__in=ids, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CLAIMED, claimed_at=now, attempts=F("attempts") + 1
        )
        claimed = list(
            Reminder.objects.filter(id__in=ids, status=Reminder.Status.CLAIMED, claimed_at=now).values_list(
                "id", flat=True
            )
        )
    return claimed


def _enqueue_claimed(ids, *, claim=False):
    from .tasks import send_reminder

    if claim:
        now = timezone.now()
        ids = list(ids)
        updated = Reminder.objects.filter(id__in=ids, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CLAIMED, claimed_at=now, attempts=F("attempts") + 1
        )
        if not updated:
            return
    for reminder_id in ids:
        try:
            send_reminder.delay(reminder_id)
        except Exception:  # broker down: the sweeper re-enqueues the claimed row later
            log.warning("could not enqueue reminder %s; the sweeper will retry", reminder_id, exc_info=True)


def dispatch_due(*, now=None, limit: int = 1000) -> list[int]:
    """One dispatcher pass: claim what is due and enqueue its delivery."""
    ids = claim_due(now=now, limit=limit)
    if ids:
        _enqueue_claimed(ids)
    return ids


def sweep_stale(*, older_than: timedelta = timedelta(minutes=10), now=None) -> list[int]:
    """Re-enqueue claimed rows whose delivery never finished (lost message, killed worker)."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=Reminder.Status.CLAIMED, claimed_at__lt=now - older_than)
            .values_list("id", flat=True)[:1000]
        )
        Reminder.objects.filter(id__in=ids).update(claimed_at=now, attempts=F("attempts") + 1)
    if ids:
        _enqueue_claimed(ids)
    return ids


# --- delivering ----------------------------------------------------------------------------------------


def _finish(reminder_id, status):
    Reminder.objects.filter(pk=reminder_id).exclude(status=Reminder.Status.SENT).update(
        status=status, finished_at=timezone.now()
    )


def _record_sent(reminder, channel_name, address, attempts=10):
    for attempt in range(attempts):
        connection.close()  # the broken connection; the next query opens a new one
        try:
            Delivery.objects.get_or_create(reminder=reminder, channel=channel_name, recipient=address)
            return
        except DatabaseError:
            if attempt == attempts - 1:
                raise
            time.sleep(min(2**attempt * 0.2, 3))


def deliver(reminder_id: int) -> int:
    """Deliver one reminder on every channel to every recipient; idempotent. Returns deliveries made."""
    from .channels import get_channel

    reminder = Reminder.objects.filter(pk=reminder_id).select_related("content_type").first()
    if reminder is None or reminder.status in (Reminder.Status.SENT, Reminder.Status.CANCELLED):
        return 0
    kind = get_kind(reminder.kind)
    model = reminder.content_type.model_class()
    obj = model._base_manager.filter(pk=reminder.object_id).first() if model and kind else None
    if obj is None or not kind.is_relevant(reminder, obj):
        _finish(reminder.pk, Reminder.Status.CANCELLED)
        return 0

    made = 0
    with translation.override("id"):
        for recipient in kind.recipients(reminder, obj):
            for channel_name in kind.channels:
                if recipient.channels is not None and channel_name not in recipient.channels:
                    continue
                channel = get_channel(channel_name)
                address = channel.address(recipient)
                if not address:
                    continue
                sent = False
                try:
                    with transaction.atomic():
                        try:
                            with transaction.atomic():
                                Delivery.objects.create(
                                    reminder=reminder, channel=channel_name, recipient=address
                                )
                        except IntegrityError:
                            continue  # already delivered by an earlier run
                        message = kind.render(reminder, obj, recipient)
                        channel.send(reminder=reminder, recipient=recipient, address=address, message=message)
                        sent = True
                except DatabaseError:
                    if not sent:
                        raise
                    # Sent, but the ledger row's commit was lost with the database connection (backend
                    # terminated, database restarted): record it anew, or the retry would send it twice.
                    _record_sent(reminder, channel_name, address)
                made += 1
    _finish(reminder.pk, Reminder.Status.SENT)
    return made
