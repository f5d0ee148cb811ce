"""What the teams app reminds of (registered with the engine in `TeamsConfig.ready()`).

- `teams.meeting_invitation`: sent at once when a meeting is scheduled (or moved: `payload.notice`);
- `teams.meeting_reminder`: at each of the meeting's `reminder_offsets` before its start;
- `teams.meeting_cancelled`: sent at once when a meeting is cancelled;
- `teams.followup_due` / `teams.followup_overdue`: before and after a follow-up item's due date.

Each kind re-reads its object before sending (`is_relevant`): nothing goes out for a cancelled meeting,
a meeting that has moved since the reminder was planned, or a follow-up that is done.
"""

from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from konflik import reminders

from . import ics, selectors
from .models import FollowUp, Meeting

MEETING_INVITATION = "teams.meeting_invitation"
MEETING_REMINDER = "teams.meeting_reminder"
MEETING_CANCELLED = "teams.meeting_cancelled"
FOLLOWUP_DUE = "teams.followup_due"
FOLLOWUP_OVERDUE = "teams.followup_overdue"
MEETING_KINDS = (MEETING_INVITATION, MEETING_REMINDER, MEETING_CANCELLED)
FOLLOWUP_KINDS = (FOLLOWUP_DUE, FOLLOWUP_OVERDUE)


def _render(template, context, *, subject, url, attachments=()):
    context = {**context, "url": ics.absolute_url(url)}
    return reminders.Message(
        subject=subject,
        text=render_to_string(f"teams/email/{template}.txt", context),
        html=render_to_string(f"teams/email/{template}.html", context),
        url=url,
        attachments=list(attachments),
    )


def _when(meeting):
    start, end = timezone.localtime(meeting.start), timezone.localtime(meeting.end)
    return f"{start:%d-%m-%Y %H:%M}–{end:%H:%M} WIB"


class _MeetingKind(reminders.ReminderKind):
    template = ""

    def recipients(self, reminder, obj):
        return selectors.meeting_recipients(obj)

    def is_relevant(self, reminder, obj):
        planned_start = reminder.payload.get("start")
        return obj.status == Meeting.Status.SCHEDULED and (
            planned_start is None or datetime.fromisoformat(planned_start) == obj.start
        )

    def subject(self, reminder, obj):
        raise NotImplementedError

    def render(self, reminder, obj, recipient):
        context = {"meeting": obj, "when": _when(obj), "recipient": recipient, "reminder": reminder}
        return _render(
            self.template,
            context,
            subject=self.subject(reminder, obj),
            url=obj.get_absolute_url(),
            attachments=[(f"rapat-{obj.pk}.ics", ics.meeting_ics(obj), "text/calendar")],
        )


class MeetingInvitation(_MeetingKind):
    key = MEETING_INVITATION
    template = "meeting_invitation"

    def subject(self, reminder, obj):
        if reminder.payload.get("notice") == "rescheduled":
            return _("Perubahan jadwal rapat: %(title)s, %(when)s") % {"title": obj.title, "when": _when(obj)}
        return _("Undangan rapat: %(title)s, %(when)s") % {"title": obj.title, "when": _when(obj)}


class MeetingReminder(_MeetingKind):
    key = MEETING_REMINDER
    template = "meeting_reminder"

    def is_relevant(self, reminder, obj):
        return super().is_relevant(reminder, obj) and obj.start > timezone.now()

    def subject(self, reminder, obj):
        return _("Pengingat rapat: %(title)s, %(when)s") % {"title": obj.title, "when": _when(obj)}


class MeetingCancelled(_MeetingKind):
    key = MEETING_CANCELLED
    template = "meeting_cancelled"

    def is_relevant(self, reminder, obj):
        return obj.status == Meeting.Status.CANCELLED

    def subject(self, reminder, obj):
        return _("Rapat dibatalkan: %(title)s, %(when)s") % {"title": obj.title, "when": _when(obj)}


class _FollowUpKind(reminders.ReminderKind):
    template = ""

    def recipients(self, reminder, obj):
        return selectors.followup_recipients(obj)

    def is_relevant(self, reminder, obj):
        planned_due = reminder.payload.get("due_date")
        return obj.status == FollowUp.Status.OPEN and (
            planned_due is None or planned_due == obj.due_date.isoformat()
        )

    def render(self, reminder, obj, recipient):
        context = {
            "item": obj,
            "meeting": obj.meeting,
            "recipient": recipient,
            "due": f"{obj.due_date:%d-%m-%Y}",
        }
        subject = self.subject(obj)
        return _render(self.template, context, subject=subject, url=obj.get_absolute_url())


class FollowUpDue(_FollowUpKind):
    key = FOLLOWUP_DUE
    template = "followup_due"

    def subject(self, obj):
        return _("Tindak lanjut jatuh tempo %(due)s: %(item)s") % {
            "due": f"{obj.due_date:%d-%m-%Y}",
            "item": obj,
        }


class FollowUpOverdue(_FollowUpKind):
    key = FOLLOWUP_OVERDUE
    template = "followup_overdue"

    def subject(self, obj):
        return _("Tindak lanjut terlambat sejak %(due)s: %(item)s") % {
            "due": f"{obj.due_date:%d-%m-%Y}",
            "item": obj,
        }


def register_all():
    for kind in (
        MeetingInvitation(),
        MeetingReminder(),
        MeetingCancelled(),
        FollowUpDue(),
        FollowUpOverdue(),
    ):
        reminders.register(kind)
