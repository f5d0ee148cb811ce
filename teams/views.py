"""HTML pages of the teams app. Reads start from the selectors (`visible_to`): another region's object
is a 404; writes are for secretariats managing the object's team (else 403) and go through services."""

import calendar as pycalendar
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from konflik.permissions import ALL_ROLES, READ_ROLES, WRITE_ROLES, RoleRequiredMixin
from konflik.throttling import per_minute_limit_reached
from konflik.uploads import attachment_response

from . import ics, importer, selectors, services, uploads
from .filters import FollowUpFilter, InstitutionFilter, MeetingFilter, MemberFilter, TeamFilter
from .forms import (
    AttachmentForm,
    AttendanceForm,
    CancelForm,
    DecreeForm,
    FollowUpForm,
    InstitutionForm,
    MeetingForm,
    MeetingStatusForm,
    MemberForm,
    MemberImportForm,
    MinutesForm,
    TeamCreateForm,
    TeamForm,
)
from .models import CalendarToken, FollowUp, Institution, Meeting, Member, Team

PAGE_SIZE = 50


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages)
    else:
        form.add_error(None, exc.messages)


def _require_manage(user, team):
    if not selectors.can_manage_team(user, team):
        raise PermissionDenied


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(request, form, *, title, back, submit=None, multipart=False):
    return render(
        request,
        "teams/form.html",
        {"form": form, "title": title, "back": back, "submit": submit or _("Simpan"), "multipart": multipart},
    )


def _query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- teams ---------------------------------------------------------------------------------------------


class TeamListView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request):
        filterset = TeamFilter(request.GET or None, queryset=selectors.team_list(user=request.user))
        page = _page(request, filterset.qs)
        can_create = request.user.can_write
        return render(
            request,
            "teams/team_list.html",
            {
                "filter": filterset,
                "page_obj": page,
                "can_create": can_create,
                "query": _query_without_page(request),
            },
        )


class TeamCreateView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def dispatch_form(self, request, form):
        return _form_page(request, form, title=_("Tim Terpadu baru"), back=reverse("teams:team_list"))

    def get(self, request):
        return self.dispatch_form(request, TeamCreateForm(user=request.user))

    def post(self, request):
        form = TeamCreateForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                team = services.team_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Tim disimpan."))
                return redirect(team)
        return self.dispatch_form(request, form)


def _team(request, pk):
    return get_object_or_404(
        Team.objects.visible_to(request.user).select_related("region", "current_decree"), pk=pk
    )


class TeamDetailView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request, pk):
        team = _team(request, pk)
        decree_id = request.GET.get("sk")
        decrees = selectors.team_decrees(user=request.user, team=team)
        decree = decrees.filter(pk=decree_id).first() if decree_id and decree_id.isdigit() else None
        members = selectors.visible_team_members(user=request.user, team=team, decree=decree)
        return render(
            request,
            "teams/team_detail.html",
            {
                "team": team,
                "members": members,
                "decrees": decrees,
                "shown_decree": decree or team.current_decree,
                "can_manage": selectors.can_manage_team(request.user, team),
            },
        )


class TeamUpdateView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _render(self, request, team, form):
        return _form_page(
            request, form, title=_("Ubah %(team)s") % {"team": team}, back=team.get_absolute_url()
        )

    def get(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        return self._render(request, team, TeamForm(instance=team))

    def post(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        form = TeamForm(request.POST, instance=Team.objects.get(pk=team.pk))
        if form.is_valid():
            try:
                services.team_update(actor=request.user, team=team, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Tim disimpan."))
                return redirect(team)
        return self._render(request, team, form)


class DecreeCreateView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _render(self, request, team, form):
        return _form_page(
            request, form, title=_("SK baru untuk %(team)s") % {"team": team}, back=team.get_absolute_url()
        )

    def get(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        return self._render(request, team, DecreeForm())

    def post(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        form = DecreeForm(request.POST)
        if form.is_valid():
            try:
                services.decree_start(actor=request.user, team=team, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("SK baru disimpan; daftar anggota baru dimulai."))
                return redirect(team)
        return self._render(request, team, form)


class MemberImportView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _render(self, request, team, form, errors=None):
        return render(request, "teams/member_import.html", {"team": team, "form": form, "errors": errors})

    def get(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        return self._render(request, team, MemberImportForm())

    def post(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        form = MemberImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, team, form)
        if per_minute_limit_reached(request.user, "teams-import", settings.KONFLIK_TEAMS_IMPORT_PER_MINUTE):
            return HttpResponse(_("Terlalu banyak permintaan impor; coba lagi sebentar."), status=429)
        result = importer.parse_members(form.cleaned_data["sheet"])
        if not result.ok:
            return self._render(request, team, form, errors=result.errors)
        try:
            created = services.members_import(actor=request.user, team=team, rows=result.rows)
        except ValidationError as exc:
            return self._render(request, team, form, errors=[(0, exc.messages)])
        messages.success(request, _("%(n)s anggota diimpor.") % {"n": len(created)})
        return redirect(team)


# --- members and institutions -----------------------------------------------------------------------


class MemberListView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request):
        filterset = MemberFilter(request.GET or None, queryset=selectors.member_list(user=request.user))
        return render(
            request,
            "teams/member_list.html",
            {
                "filter": filterset,
                "page_obj": _page(request, filterset.qs),
                "query": _query_without_page(request),
            },
        )


class MemberCreateView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _render(self, request, team, form):
        return _form_page(
            request, form, title=_("Anggota baru: %(team)s") % {"team": team}, back=team.get_absolute_url()
        )

    def get(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        return self._render(request, team, MemberForm(team=team))

    def post(self, request, pk):
        team = _team(request, pk)
        _require_manage(request.user, team)
        form = MemberForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.member_create(actor=request.user, team=team, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Anggota disimpan."))
                return redirect(team)
        return self._render(request, team, form)


def _member(request, pk):
    return get_object_or_404(Member.objects.visible_to(request.user).select_related("team"), pk=pk)


class MemberUpdateView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _render(self, request, member, form):
        return _form_page(
            request,
            form,
            title=_("Ubah anggota %(m)s") % {"m": member.name},
            back=member.team.get_absolute_url(),
        )

    def get(self, request, pk):
        member = _member(request, pk)
        _require_manage(request.user, member.team)
        return self._render(request, member, MemberForm(instance=member, team=member.team))

    def post(self, request, pk):
        member = _member(request, pk)
        _require_manage(request.user, member.team)
        form = MemberForm(request.POST, instance=Member.objects.get(pk=member.pk), team=member.team)
        if form.is_valid():
            try:
                services.member_update(actor=request.user, member=member, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Anggota disimpan."))
                return redirect(member.team)
        return self._render(request, member, form)


class MemberDeleteView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def post(self, request, pk):
        member = _member(request, pk)
        _require_manage(request.user, member.team)
        try:
            services.member_delete(actor=request.user, member=member)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Anggota dihapus."))
        return redirect(member.team)


class InstitutionListView(RoleRequiredMixin, View):
    roles = READ_ROLES

    def get(self, request):
        filterset = InstitutionFilter(
            request.GET or None, queryset=selectors.institution_list(user=request.user)
        )
        return render(
            request,
            "teams/institution_list.html",
            {
                "filter": filterset,
                "page_obj": _page(request, filterset.qs),
                "query": _query_without_page(request),
            },
        )


class InstitutionFormView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _object(self, request, pk):
        if pk is None:
            return None
        institution = get_object_or_404(Institution.objects.visible_to(request.user), pk=pk)
        return institution

    def _render(self, request, form):
        return _form_page(request, form, title=_("Instansi"), back=reverse("teams:institution_list"))

    def get(self, request, pk=None):
        return self._render(request, InstitutionForm(instance=self._object(request, pk), user=request.user))

    def post(self, request, pk=None):
        institution = self._object(request, pk)
        form = InstitutionForm(request.POST, instance=institution, user=request.user)
        if form.is_valid():
            try:
                if institution is None:
                    services.institution_create(actor=request.user, **form.cleaned_data)
                else:
                    services.institution_update(
                        actor=request.user,
                        institution=institution,
                        name=form.cleaned_data["name"],
                        kind=form.cleaned_data["kind"],
                    )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Instansi disimpan."))
                return redirect("teams:institution_list")
        return self._render(request, form)


# --- meetings ------------------------------------------------------------------------------------------


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
                "page_obj": _page(request, filterset.qs.order_by("-start", "-id")),
                "upcoming": list(selectors.upcoming_meetings(user=request.user)),
                "can_create": request.user.can_write,
                "query": _query_without_page(request),
            },
        )


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


def _meeting(request, pk, *, detail=False):
    qs = (
        selectors.meeting_detail_queryset(user=request.user)
        if detail
        else selectors.meeting_list(user=request.user)
    )
    return get_object_or_404(qs, pk=pk)


class MeetingCreateView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def _render(self, request, form):
        return _form_page(request, form, title=_("Jadwalkan rapat"), back=reverse("teams:meeting_list"))

    def get(self, request):
        return self._render(request, MeetingForm(user=request.user))

    def post(self, request):
        form = MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                meeting = services.meeting_schedule(
                    actor=request.user,
                    team=form.cleaned_data["team"],
                    invited_members=list(form.cleaned_data["invited_members"]),
                    invited_institutions=list(form.cleaned_data["invited_institutions"]),
                    invited_teams=list(form.cleaned_data["invited_teams"]),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Rapat dijadwalkan; undangan dikirim."))
                return redirect(meeting)
        return self._render(request, form)


class MeetingDetailView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request, pk):
        meeting = _meeting(request, pk, detail=True)
        can_manage = selectors.can_manage_team(request.user, meeting.team)
        invitations = list(meeting.invitations.all())  # each nested list scoped by its prefetch
        follow_ups = list(meeting.follow_ups.all())
        ctx = {
            "meeting": meeting,
            "can_manage": can_manage,
            "invitations": invitations,
            "follow_ups": follow_ups,
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


class _MeetingWriteView(RoleRequiredMixin, View):
    roles = WRITE_ROLES

    def meeting(self, request, pk):
        meeting = _meeting(request, pk)
        _require_manage(request.user, meeting.team)
        return meeting


class MeetingUpdateView(_MeetingWriteView):
    def _render(self, request, meeting, form):
        return _form_page(request, form, title=_("Ubah rapat"), back=meeting.get_absolute_url())

    def get(self, request, pk):
        meeting = self.meeting(request, pk)
        return self._render(request, meeting, MeetingForm(instance=meeting, user=request.user))

    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = MeetingForm(request.POST, instance=Meeting.objects.get(pk=meeting.pk), user=request.user)
        if form.is_valid():
            try:
                services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    invited_members=list(form.cleaned_data["invited_members"]),
                    invited_institutions=list(form.cleaned_data["invited_institutions"]),
                    invited_teams=list(form.cleaned_data["invited_teams"]),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Rapat disimpan."))
                return redirect(meeting)
        return self._render(request, meeting, form)


class MeetingStatusView(_MeetingWriteView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = MeetingStatusForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("Status tidak valid."))
            services.meeting_update(actor=request.user, meeting=meeting, status=form.cleaned_data["status"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Status rapat disimpan."))
        return redirect(meeting)


class MeetingCancelView(_MeetingWriteView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = CancelForm(request.POST)
        note = form.cleaned_data["note"] if form.is_valid() else ""
        try:
            services.meeting_cancel(actor=request.user, meeting=meeting, note=note)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Rapat dibatalkan; pemberitahuan dikirim ke undangan."))
        return redirect(meeting)


class MeetingAttendanceView(_MeetingWriteView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = AttendanceForm(request.POST, invitations=list(meeting.invitations.all()))
        if form.is_valid():
            services.meeting_record_attendance(
                actor=request.user, meeting=meeting, attendance=form.attendance()
            )
            messages.success(request, _("Kehadiran disimpan."))
        else:
            messages.error(request, _("Isian kehadiran tidak valid."))
        return redirect(meeting)


class MeetingMinutesView(_MeetingWriteView):
    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        if "file" in request.FILES:
            form = AttachmentForm(request.POST, request.FILES)
            try:
                if not form.is_valid():
                    raise ValidationError(_("Pilih berkas."))
                clean = uploads.clean_upload(form.cleaned_data["file"])
                services.attachment_add(actor=request.user, meeting=meeting, clean=clean)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Lampiran disimpan."))
        else:
            form = MinutesForm(request.POST)
            if form.is_valid():
                try:
                    services.meeting_update(
                        actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _("Notulen disimpan."))
        return redirect(meeting)


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


class AttachmentDeleteView(_MeetingWriteView):
    def post(self, request, meeting_pk, pk):
        meeting = self.meeting(request, meeting_pk)
        attachment = get_object_or_404(meeting.attachments, pk=pk)
        services.attachment_delete(actor=request.user, attachment=attachment)
        messages.success(request, _("Lampiran dihapus."))
        return redirect(meeting)


class MeetingIcsView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request, pk):
        meeting = _meeting(request, pk)
        response = HttpResponse(ics.meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="rapat-{meeting.pk}.ics"'
        return response


# --- follow-ups ----------------------------------------------------------------------------------------


class FollowUpListView(RoleRequiredMixin, View):
    roles = ALL_ROLES

    def get(self, request):
        filterset = FollowUpFilter(request.GET or None, queryset=selectors.followup_list(user=request.user))
        return render(
            request,
            "teams/followup_list.html",
            {
                "filter": filterset,
                "page_obj": _page(request, filterset.qs),
                "today": timezone.localdate(),
                "query": _query_without_page(request),
            },
        )


class FollowUpCreateView(_MeetingWriteView):
    def _render(self, request, meeting, form):
        return _form_page(
            request,
            form,
            title=_("Tindak lanjut dari %(m)s") % {"m": meeting.title},
            back=meeting.get_absolute_url(),
        )

    def get(self, request, pk):
        meeting = self.meeting(request, pk)
        return self._render(request, meeting, FollowUpForm(meeting=meeting, user=request.user))

    def post(self, request, pk):
        meeting = self.meeting(request, pk)
        form = FollowUpForm(request.POST, meeting=meeting, user=request.user)
        if form.is_valid():
            try:
                services.followup_create(actor=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Tindak lanjut disimpan."))
                return redirect(meeting)
        return self._render(request, meeting, form)


def _follow_up(request, pk):
    return get_object_or_404(selectors.followup_list(user=request.user), pk=pk)


class FollowUpDetailView(RoleRequiredMixin, View):
    roles = ALL_ROLES
    write_roles = ALL_ROLES  # the owner (of any role) may mark their item done; `post` checks the rest

    def get(self, request, pk):
        item = _follow_up(request, pk)
        can_manage = selectors.can_manage_team(request.user, item.meeting.team)
        form = FollowUpForm(instance=item, meeting=item.meeting, user=request.user) if can_manage else None
        return render(
            request,
            "teams/followup_detail.html",
            {
                "item": item,
                "form": form,
                "can_manage": can_manage,
                "can_set_status": can_manage or selectors.owns_follow_up(request.user, item),
                "today": timezone.localdate(),
            },
        )

    def post(self, request, pk):
        item = _follow_up(request, pk)
        owner_sets_status = "status" in request.POST and selectors.owns_follow_up(request.user, item)
        if not owner_sets_status:
            if not request.user.can_write:
                raise PermissionDenied
            _require_manage(request.user, item.meeting.team)
        if "status" in request.POST:
            status = request.POST["status"]
            try:
                services.followup_update(actor=request.user, follow_up=item, status=status)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect(item)
        form = FollowUpForm(
            request.POST, instance=FollowUp.objects.get(pk=item.pk), meeting=item.meeting, user=request.user
        )
        if form.is_valid():
            try:
                services.followup_update(actor=request.user, follow_up=item, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Tindak lanjut disimpan."))
                return redirect(item)
        return render(
            request,
            "teams/followup_detail.html",
            {
                "item": item,
                "form": form,
                "can_manage": True,
                "can_set_status": True,
                "today": timezone.localdate(),
            },
        )


# --- personal calendar feed ----------------------------------------------------------------------------


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
