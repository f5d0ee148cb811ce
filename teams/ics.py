"""iCalendar (.ics) files: one per meeting (also attached to its e-mails) and the personal feed."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Meeting

_STATUS = {
    Meeting.Status.SCHEDULED: "CONFIRMED",
    Meeting.Status.HELD: "CONFIRMED",
    Meeting.Status.POSTPONED: "TENTATIVE",
    Meeting.Status.CANCELLED: "CANCELLED",
}


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@konflik"


def absolute_url(path: str) -> str:
    return settings.KONFLIK_BASE_URL.rstrip("/") + path


def _event(meeting) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start)
    event.add("dtend", meeting.end)
    event.add("summary", meeting.title)
    event.add("sequence", meeting.sequence)
    event.add("status", _STATUS[meeting.status])
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    description = meeting.agenda
    if meeting.online_link:
        description = f"{description}\n\n{meeting.online_link}".strip()
    if description:
        event.add("description", description)
    event.add("url", absolute_url(meeting.get_absolute_url()))
    return event


def _calendar(method: str | None = None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//konflik//Tim Terpadu Kalimantan Barat//ID")
    cal.add("version", "2.0")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def meeting_ics(meeting) -> bytes:
    """A single-event calendar; a cancelled meeting is sent as METHOD:CANCEL so clients remove it."""
    cal = _calendar("CANCEL" if meeting.status == Meeting.Status.CANCELLED else "PUBLISH")
    cal.add_component(_event(meeting))
    return cal.to_ical()


def feed_ics(meetings, *, name: str) -> bytes:
    cal = _calendar(name=name)
    for meeting in meetings:
        cal.add_component(_event(meeting))
    return cal.to_ical()
