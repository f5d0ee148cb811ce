"""Meetings: the list, scheduling and editing, the detail page and its actions (status, cancel,
attendance, minutes and their attachments), and one meeting as an .ics file."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from konflik.permissions import ALL_ROLES, WRITE_ROLES, RoleRequiredMixin
from konflik.uploads import attachment_response
from konflik.web import editable_copy, paginate, require

from .. import ics, selectors, services, uploads
from ..filters import MeetingFilter
from ..forms import AttachmentForm, AttendanceForm, CancelForm, MeetingForm, MeetingStatusForm, MinutesForm
from .teams import TeamsFormView


def scoped_meeting(request, pk, *, detail=False):
    qs = (
        selectors.meeting_detail_queryset(user=request.user)
        if detail
        else selectors.meeting_list(user=request.user)
    )
    return get_object_or_404(qs, pk=pk)


def managed_meeting(request, pk):
    """A meeting the user sees (else 404) of a team they manage (else 403)."""
    meeting = scoped_meeting(request, pk)
    require(selectors.can_manage_team(request.user, meeting.team))
    return meeting


class MeetingFormView(TeamsFormView):
    """A form on one meeting (`pk` in the URL) of a team the user manages; back to the meeting."""

    def get_object(self):
        return managed_meeting(self.request, self.kwargs["pk"])

    def get_back_url(self):
        return self.object.get_absolute_url()

    def get_success_url(self, result):
        return self.object.get_absolute_url()


def _invitations(form):
    data = form.cleaned_data
    return {
        "invited_members": list(data["invited_members"]),
        "invited_institutions": list(data["invited_institutions"]),
        "invited_teams": list(data["invited_teams"]),
        **form.service_fields(),
    }


class MeetingListView(RoleRequiredMixin, View):
    """Upcoming meetings of the user's scope, then every meeting with filters."""

    roles = ALL_ROLES

    def get(self, request):
        filterset = MeetingFilter(request.GET or None, queryset=selectors.meeting_list(user=request.user))
        return render(
            request,
            "teams/meeting_list.html",
            {
                "filter": filterset,
                "page_obj": paginate(request, filterset.qs.order_by("-start", "-id")),
                "upcoming": list(selectors.upcoming_meetings(user=request.user)),
                "can_create": request.user.can_write,
            },
        )


class MeetingCreateView(TeamsFormView):
    form_class = MeetingForm
    title = gettext_lazy("Jadwalkan rapat")
    success_message = gettext_lazy("Rapat dijadwalkan; undangan dikirim.")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return services.meeting_schedule(
            actor=self.request.user, team=form.cleaned_data["team"], **_invitations(form)
        )

    def get_back_url(self):
        return reverse("teams:meeting_list")


class MeetingDetailView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request, pk):
        meeting = scoped_meeting(request, pk, detail=True)
        can_manage = selectors.can_manage_team(request.user, meeting.team)
        invitations = list(meeting.invitations.all())  # each nested list scoped by its prefetch
        ctx = {
            "meeting": meeting,
            "can_manage": can_manage,
            "invitations": invitations,
            "follow_ups": list(meeting.follow_ups.all()),
            "attachments": list(meeting.attachments.all()),
            "today": timezone.localdate(),
        }
        if can_manage:
            ctx |= {
                "status_form": MeetingStatusForm(initial={"status": meeting.status}),
                "cancel_form": CancelForm(),
                "minutes_form": MinutesForm(initial={"minutes": meeting.minutes}),
                "attachment_form": AttachmentForm(),
                "attendance_form": AttendanceForm(invitations=invitations),
            }
        return render(request, "teams/meeting_detail.html", ctx)


class MeetingUpdateView(MeetingFormView):
    form_class = MeetingForm
    title = gettext_lazy("Ubah rapat")
    success_message = gettext_lazy("Rapat disimpan.")

    def get_form_kwargs(self):
        return {"instance": editable_copy(self.object), "user": self.request.user}

    def perform(self, form):
        return services.meeting_update(actor=self.request.user, meeting=self.object, **_invitations(form))


class MeetingActionView(RoleRequiredMixin, View):
    """A button on the meeting page: POST only, back to the meeting with a message; a service's
    ValidationError becomes the error message. `act` returns the success message (None: none)."""

    roles = WRITE_ROLES

    def act(self, meeting):
        raise NotImplementedError

    def post(self, request, pk):
        meeting = managed_meeting(request, pk)
        try:
            message = self.act(meeting)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if message:
                messages.success(request, message)
        return redirect(meeting)


class MeetingStatusView(MeetingActionView):
    def act(self, meeting):
        form = MeetingStatusForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Status tidak valid."))
        services.meeting_update(actor=self.request.user, meeting=meeting, status=form.cleaned_data["status"])
        return _("Status rapat disimpan.")


class MeetingCancelView(MeetingActionView):
    def act(self, meeting):
        form = CancelForm(self.request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        services.meeting_cancel(actor=self.request.user, meeting=meeting, note=note)
        return _("Rapat dibatalkan; pemberitahuan dikirim ke undangan.")


class MeetingAttendanceView(MeetingActionView):
    def act(self, meeting):
        form = AttendanceForm(self.request.POST, invitations=list(meeting.invitations.all()))
        if not form.is_valid():
            raise ValidationError(_("Isian kehadiran tidak valid."))
        services.meeting_record_attendance(
            actor=self.request.user, meeting=meeting, attendance=form.attendance()
        )
        return _("Kehadiran disimpan.")


class MeetingMinutesView(MeetingActionView):
    """The minutes text, or (when a file is sent) one attachment to them."""

    def act(self, meeting):
        if "file" in self.request.FILES:
            form = AttachmentForm(self.request.POST, self.request.FILES)
            if not form.is_valid():
                raise ValidationError(_("Pilih berkas."))
            clean = uploads.clean_upload(form.cleaned_data["file"])
            services.attachment_add(actor=self.request.user, meeting=meeting, clean=clean)
            return _("Lampiran disimpan.")
        form = MinutesForm(self.request.POST)
        if not form.is_valid():
            return None
        services.meeting_update(
            actor=self.request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
        )
        return _("Notulen disimpan.")


class AttachmentDownloadView(RoleRequiredMixin, View):
    """Minutes attachments only through here: scope-checked, always as a download, never sniffed."""

    roles = ALL_ROLES

    def get(self, request, meeting_pk, pk):
        attachment = selectors.attachment_for_download(user=request.user, meeting_pk=meeting_pk, pk=pk)
        if attachment is None:
            raise Http404
        return attachment_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )


class AttachmentDeleteView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def post(self, request, meeting_pk, pk):
        meeting = managed_meeting(request, meeting_pk)
        attachment = get_object_or_404(meeting.attachments, pk=pk)
        services.attachment_delete(actor=request.user, attachment=attachment)
        messages.success(request, _("Lampiran dihapus."))
        return redirect(meeting)


class MeetingIcsView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request, pk):
        meeting = scoped_meeting(request, pk)
        response = HttpResponse(ics.meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.pk}.ics"'
        return response
