"""Early-warning signals and the incidents app's reminders, on the core reminder engine
(`konflik.reminders`).

Signals (alerts to the province secretariat and leadership, in-app and by email, once per cause):

- `deaths`: a submitted report with at least `KONFLIK_INCIDENT_SIGNAL_DEATHS` dead (cause: the report);
- `cluster`: `KONFLIK_INCIDENT_SIGNAL_CLUSTER_COUNT` or more submitted reports in one regency that
  occurred within `KONFLIK_INCIDENT_SIGNAL_CLUSTER_DAYS` days. The cause is the cluster, named by its
  regency and its earliest report: further reports in the same window add nothing; a new alert comes
  only when the window has moved past that earliest report and still holds N reports;
- `very_high`: an early-warning record at risk level "sangat tinggi" (cause: the record).

Reminders: an early-warning record's next review date (08:00 WIB that day), and a Status Keadaan
Konflik's end (`KONFLIK_INCIDENT_SKK_REMIND_DAYS_BEFORE` days before, 08:00 WIB).
"""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from konflik import reminders
from konflik.models import Region, User

SIGNAL = "incidents.signal"
POTENTIAL_REVIEW = "incidents.potential_review"
STATUS_EXPIRY = "incidents.status_expiry"
WIB = zoneinfo.ZoneInfo("Asia/Pontianak")
NOTIFY_HOUR = 8


def _morning_of(day):
    return datetime.datetime.combine(day, datetime.time(NOTIFY_HOUR), tzinfo=WIB)


def _users_over(region_code, roles):
    """Active users with one of `roles` whose scope covers `region_code` (its region or an ancestor)."""
    codes = [*Region.ancestor_codes(region_code), region_code]
    return list(User.objects.filter(is_active=True, role__in=roles, region_id__in=codes).order_by("username"))


def _as_recipients(users):
    return [reminders.Recipient(name=u.get_full_name() or u.username, user=u) for u in users]


# --- the rules --------------------------------------------------------------------------------------------


def on_incident_submitted(incident):
    """Called inside the submit (or update) transaction."""
    from .models import Incident

    if incident.deaths >= settings.KONFLIK_INCIDENT_SIGNAL_DEATHS:
        reminders.alert(
            kind=SIGNAL,
            obj=incident,
            dedupe_key=f"deaths:incident:{incident.pk}",
            payload={"rule": "deaths", "deaths": incident.deaths},
        )
    days = settings.KONFLIK_INCIDENT_SIGNAL_CLUSTER_DAYS
    threshold = settings.KONFLIK_INCIDENT_SIGNAL_CLUSTER_COUNT
    window_start = incident.occurred_on - datetime.timedelta(days=days - 1)
    in_window = list(
        Incident.objects.filter(
            region_id=incident.region_id,
            occurred_on__gte=window_start,
            occurred_on__lte=incident.occurred_on,
        )
        .exclude(status=Incident.Status.DRAFT)
        .order_by("occurred_on", "id")
        .values_list("id", flat=True)[:threshold]
    )
    if len(in_window) >= threshold:
        reminders.alert(
            kind=SIGNAL,
            obj=incident,
            dedupe_key=f"cluster:{incident.region_id}:{in_window[0]}",
            payload={"rule": "cluster", "count": threshold, "days": days, "region": incident.region_id},
        )


def on_potential_saved(potential):
    from .models import RiskLevel

    if potential.risk_level == RiskLevel.VERY_HIGH:
        reminders.alert(
            kind=SIGNAL,
            obj=potential,
            dedupe_key=f"very_high:potential:{potential.pk}",
            payload={"rule": "very_high"},
        )


def plan_review(potential):
    """(Re)plan the review reminder of an early-warning record."""
    reminders.cancel_pending(obj=potential, kind=POTENTIAL_REVIEW)
    if potential.next_review_on and potential.status != potential.Status.CLOSED:
        reminders.schedule(
            kind=POTENTIAL_REVIEW,
            obj=potential,
            due_at=_morning_of(potential.next_review_on),
            payload={"review_on": potential.next_review_on.isoformat()},
        )


def plan_status_expiry(status):
    reminders.cancel_pending(obj=status, kind=STATUS_EXPIRY)
    if status.revoked_on is None and status.end_date >= timezone.localdate():
        day = status.end_date - datetime.timedelta(days=settings.KONFLIK_INCIDENT_SKK_REMIND_DAYS_BEFORE)
        reminders.schedule(
            kind=STATUS_EXPIRY,
            obj=status,
            due_at=_morning_of(max(day, status.start_date)),
            payload={"end_date": status.end_date.isoformat()},
        )


def cancel_status_expiry(status):
    reminders.cancel_pending(obj=status, kind=STATUS_EXPIRY)


# --- the kinds --------------------------------------------------------------------------------------------


def _absolute(path):
    base = getattr(settings, "KONFLIK_BASE_URL", "")
    return f"{base}{path}"


class SignalKind(reminders.ReminderKind):
    """An early-warning alert, to the province secretariat and the leadership over the region."""

    key = SIGNAL

    def recipients(self, reminder, obj):
        return _as_recipients(
            _users_over(obj.region_id, [User.Role.PROVINCE_SECRETARIAT, User.Role.LEADERSHIP])
        )

    def render(self, reminder, obj, recipient):
        rule = reminder.payload.get("rule")
        if rule == "deaths":
            subject = _("Peringatan dini: korban tewas pada %(number)s") % {"number": obj.number}
            text = _("Laporan %(number)s (%(title)s, %(region)s) mencatat %(deaths)s orang tewas.") % {
                "number": obj.number,
                "title": obj.title,
                "region": obj.region.name,
                "deaths": obj.deaths,
            }
        elif rule == "cluster":
            subject = _("Peringatan dini: %(count)s kejadian dalam %(days)s hari di %(region)s") % {
                "count": reminder.payload.get("count"),
                "days": reminder.payload.get("days"),
                "region": obj.region.name,
            }
            text = _(
                "Sekurang-kurangnya %(count)s kejadian terjadi di %(region)s dalam %(days)s hari; "
                "yang terakhir: %(number)s (%(title)s)."
            ) % {
                "count": reminder.payload.get("count"),
                "days": reminder.payload.get("days"),
                "region": obj.region.name,
                "number": obj.number,
                "title": obj.title,
            }
        else:
            subject = _("Peringatan dini: potensi konflik sangat tinggi di %(region)s") % {
                "region": obj.region.name
            }
            text = _("Potensi konflik “%(title)s” di %(region)s dinilai berisiko sangat tinggi.") % {
                "title": obj.title,
                "region": obj.region.name,
            }
        return reminders.Message(subject=subject, text=text, url=_absolute(obj.get_absolute_url()))


class PotentialReviewKind(reminders.ReminderKind):
    key = POTENTIAL_REVIEW

    def recipients(self, reminder, obj):
        regency = Region.regency_code_of(obj.region_id) or obj.region_id
        users = User.objects.filter(
            is_active=True,
            role__in=[User.Role.REGENCY_SECRETARIAT, User.Role.PROVINCE_SECRETARIAT],
            region_id=regency,
        )
        return _as_recipients(users)

    def is_relevant(self, reminder, obj):
        return (
            obj.status != obj.Status.CLOSED
            and obj.next_review_on is not None
            and obj.next_review_on.isoformat() == reminder.payload.get("review_on")
        )

    def render(self, reminder, obj, recipient):
        return reminders.Message(
            subject=_("Tinjauan potensi konflik jatuh tempo: %(title)s") % {"title": obj.title},
            text=_("Potensi konflik “%(title)s” di %(region)s dijadwalkan ditinjau pada %(date)s.")
            % {"title": obj.title, "region": obj.region.name, "date": date_format(obj.next_review_on)},
            url=_absolute(obj.get_absolute_url()),
        )


class StatusExpiryKind(reminders.ReminderKind):
    key = STATUS_EXPIRY

    def recipients(self, reminder, obj):
        users = _users_over(
            obj.region_id,
            [User.Role.PROVINCE_SECRETARIAT, User.Role.REGENCY_SECRETARIAT, User.Role.LEADERSHIP],
        )
        return _as_recipients(users)

    def is_relevant(self, reminder, obj):
        return obj.revoked_on is None and obj.end_date.isoformat() == reminder.payload.get("end_date")

    def render(self, reminder, obj, recipient):
        return reminders.Message(
            subject=_("Status Keadaan Konflik %(region)s berakhir %(date)s")
            % {"region": obj.region.name, "date": date_format(obj.end_date)},
            text=_(
                "Status Keadaan Konflik %(decree)s untuk %(region)s berakhir pada %(date)s. "
                "Perpanjangan atau pencabutan perlu diputuskan sebelum tanggal itu."
            )
            % {"decree": obj.decree_number, "region": obj.region.name, "date": date_format(obj.end_date)},
            url=_absolute(obj.get_absolute_url()),
        )


def register_kinds():
    for kind in (SignalKind(), PotentialReviewKind(), StatusExpiryKind()):
        reminders.register(kind)
