"""The dashboard's reminder kind: "a period report is ready", told in-app to the leadership (and the
secretariat) of the report's region and above, once per report (`reminders.alert` with a dedupe key)."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from konflik import reminders
from konflik.models import Region

PERIOD_REPORT_READY = "dashboard.period_report_ready"


class PeriodReportReady(reminders.ReminderKind):
    key = PERIOD_REPORT_READY
    channels = ("in_app",)

    def recipients(self, reminder, obj):
        User = get_user_model()
        region = obj.team.region_id
        codes = [region, *Region.ancestor_codes(region)]
        users = User.objects.filter(
            is_active=True,
            region_id__in=codes,
            role__in=[User.Role.LEADERSHIP, User.Role.PROVINCE_SECRETARIAT, User.Role.REGENCY_SECRETARIAT],
        ).order_by("id")
        return [reminders.Recipient(name=u.get_full_name() or u.username, user=u) for u in users]

    def is_relevant(self, reminder, obj):
        return obj.status == obj.Status.DONE

    def render(self, reminder, obj, recipient):
        subject = _("%(title)s %(team)s siap diunduh") % {"title": obj.title, "team": obj.team.name}
        text = _(
            "Laporan dibuat otomatis setelah batas waktu periode berlalu; unduh PDF atau XLSX dari tautan."
        )
        return reminders.Message(subject=subject, text=text, url=obj.get_absolute_url())


def register_kinds():
    reminders.register(PeriodReportReady())
