"""The month calendar of meetings in the user's scope, and the personal calendar feed (.ics by a
secret URL) with the page that shows and replaces that URL."""

import calendar as pycalendar
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from konflik.permissions import ALL_ROLES, RoleRequiredMixin

from .. import ics, selectors, services
from ..models import CalendarToken


class CalendarView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request):
        today = timezone.localdate()
        try:
            year, month = (int(part) for part in request.GET.get("bulan", "").split("-"))
            date(year, month, 1)
            if not 1900 < year < 3000:
                raise ValueError
        except ValueError:
            year, month = today.year, today.month
        prev_month = date(year - (month == 1), (month - 2) % 12 + 1, 1)
        next_month = date(year + (month == 12), month % 12 + 1, 1)
        return render(
            request,
            "teams/calendar.html",
            {
                "weeks": selectors.month_calendar(user=request.user, year=year, month=month),
                "month": date(year, month, 1),
                "prev_month": prev_month,
                "next_month": next_month,
                "today": today,
                "weekdays": [_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min")],
                "month_name": pycalendar.month_name[month],
            },
        )


class CalendarFeedSettingsView(RoleRequiredMixin, View):
    """The user's feed URL (secret token); POST replaces the token, revoking the old URL."""

    roles = ALL_ROLES
    write_roles = ALL_ROLES

    def get(self, request):
        token = CalendarToken.objects.filter(user=request.user).first()
        feed_url = (
            request.build_absolute_uri(reverse("teams:calendar_feed", args=[token.token])) if token else None
        )
        return render(request, "teams/calendar_feed.html", {"feed_url": feed_url})

    def post(self, request):
        services.calendar_token_rotate(user=request.user)
        messages.success(request, _("Tautan kalender baru dibuat; tautan lama tidak berlaku lagi."))
        return redirect("teams:calendar_feed_settings")


def calendar_feed(request, token):
    """No session: the secret in the URL is the credential, for calendar apps that subscribe."""
    entry = CalendarToken.objects.select_related("user").filter(token=token).first()
    if entry is None or not entry.user.is_active:
        raise Http404
    meetings = selectors.feed_meetings(user=entry.user)
    body = ics.feed_ics(meetings, name=_("Rapat Tim Terpadu"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response
