"""HTML views. Every object is looked up through `visible_to(request.user)` (another region's object is a
404); reading needs a reading role, writing a secretariat (403 otherwise); the services decide the rest."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from konflik.permissions import PROVINCE_ROLES, READ_ROLES, WRITE_ROLES, RoleRequiredMixin
from konflik.throttling import per_minute_limit_reached
from konflik.uploads import attachment_response
from konflik.web import ServiceFormView, apply_validation_error

from . import exports, selectors, services
from .filters import ConflictPotentialFilter, ConflictStatusFilter, IncidentFilter
from .forms import (
    AttachmentForm,
    CloseForm,
    ConflictPotentialForm,
    ConflictStatusForm,
    ExtendForm,
    IncidentForm,
    IncidentUpdateForm,
    NoteForm,
    RevokeForm,
)
from .models import Attachment, ConflictPotential, Incident


class ReadMixin(RoleRequiredMixin):
    roles = READ_ROLES


class WriteMixin(RoleRequiredMixin):
    roles = WRITE_ROLES


class IncidentsFormView(ServiceFormView):
    """A form page of this app: a refused form is shown again with a 400."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            response.status_code = 400
        return response


# --- incidents --------------------------------------------------------------------------------------------


def _incident_filter(request):
    """The reports in the user's scope under the request's filters (one FilterSet for the list, the
    exports and the map; it needs the request: a province's search is counted through its scope)."""
    return IncidentFilter(
        request.GET or None, queryset=selectors.incident_list(user=request.user), request=request
    )


class IncidentListView(ReadMixin, ListView):
    template_name = "incidents/incident_list.html"
    paginate_by = 25
    context_object_name = "incidents"

    def get_queryset(self):
        self.filterset = _incident_filter(self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        ctx["active_statuses"] = selectors.active_statuses(user=self.request.user)
        ctx["can_write"] = self.request.user.can_write
        return ctx


def _incident_or_404(request, pk):
    return get_object_or_404(
        Incident.objects.visible_to(request.user).select_related(
            "region", "district", "village", "created_by", "verified_by"
        ),
        pk=pk,
    )


class IncidentCreateView(IncidentsFormView):
    template_name = "incidents/incident_form.html"
    form_class = IncidentForm

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        return services.incident_create(
            actor=self.request.user,
            region=form.cleaned_data["region"],
            data=form.service_data(),
            files=form.cleaned_data["files"],
        )

    def get_success_message(self, incident):
        return _("Laporan %(number)s tersimpan sebagai draf.") % {"number": incident.number}


class IncidentEditView(WriteMixin, View):
    template_name = "incidents/incident_form.html"

    def _get(self, request, pk):
        incident = _incident_or_404(request, pk)
        if not incident.is_editable:
            messages.error(request, _("Laporan yang sudah diajukan tidak dapat diubah."))
            return incident, redirect(incident)
        return incident, None

    def get(self, request, pk):
        incident, refused = self._get(request, pk)
        if refused:
            return refused
        form = IncidentForm(instance=incident, user=request.user)
        return render(request, self.template_name, {"form": form, "incident": incident})

    def post(self, request, pk):
        incident, refused = self._get(request, pk)
        if refused:
            return refused
        form = IncidentForm(request.POST, request.FILES, instance=incident, user=request.user)
        if form.is_valid():
            try:
                services.incident_edit(
                    incident=incident,
                    actor=request.user,
                    data=form.service_data(),
                    files=form.cleaned_data["files"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Perubahan tersimpan."))
                return redirect(incident)
        incident.refresh_from_db()
        return render(request, self.template_name, {"form": form, "incident": incident}, status=400)


def render_incident_detail(request, pk, **forms):
    """The detail page; with `forms` (a refused note, close or upload form) it shows their errors."""
    incident = _incident_or_404(request, pk)
    user = request.user
    ctx = {
        "incident": incident,
        "updates": selectors.incident_updates(user=user, incident=incident),
        "attachments": selectors.incident_attachments(user=user, incident=incident),
        "statuses": selectors.active_statuses_for_incident(user=user, incident=incident),
        "can_edit": user.can_write and incident.is_editable,
        "can_review": user.is_province_level and incident.status == Incident.Status.SUBMITTED,
        "can_close": user.is_province_level and incident.status == Incident.Status.VERIFIED,
        "can_add_update": user.can_write and incident.accepts_updates,
        "note_form": forms.get("note_form") or NoteForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
    }
    return render(request, "incidents/incident_detail.html", ctx, status=400 if forms else 200)


class IncidentDetailView(ReadMixin, View):
    def get(self, request, pk):
        return render_incident_detail(request, pk)


class IncidentTransitionView(RoleRequiredMixin, View):
    """POST only: submit, verify, return (with a note), close (with a resolution date)."""

    roles = READ_ROLES
    transition = ""

    def dispatch(self, request, *args, **kwargs):
        if self.transition in ("verify", "return", "close"):
            self.write_roles = PROVINCE_ROLES
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        return redirect("incidents:detail", pk=pk)

    def post(self, request, pk):
        incident = _incident_or_404(request, pk)
        form = None
        try:
            if self.transition == "submit":
                services.incident_submit(incident=incident, actor=request.user)
                messages.success(request, _("Laporan diajukan ke provinsi."))
            elif self.transition == "verify":
                services.incident_verify(incident=incident, actor=request.user)
                messages.success(request, _("Laporan terverifikasi."))
            elif self.transition == "return":
                form = NoteForm(request.POST)
                if not form.is_valid():
                    return render_incident_detail(request, pk, note_form=form)
                services.incident_return(
                    incident=incident, actor=request.user, note=form.cleaned_data["note"]
                )
                messages.success(request, _("Laporan dikembalikan dengan catatan."))
            elif self.transition == "close":
                form = CloseForm(request.POST)
                if not form.is_valid():
                    return render_incident_detail(request, pk, close_form=form)
                services.incident_close(incident=incident, actor=request.user, **form.cleaned_data)
                messages.success(request, _("Laporan ditutup."))
        except ValidationError as exc:
            if form is not None and hasattr(exc, "error_dict"):
                apply_validation_error(form, exc)
                key = "note_form" if self.transition == "return" else "close_form"
                return render_incident_detail(request, pk, **{key: form})
            for message in exc.messages:
                messages.error(request, message)
        return redirect("incidents:detail", pk=pk)


class AttachmentUploadView(WriteMixin, View):
    def post(self, request, pk):
        incident = _incident_or_404(request, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.incident_add_attachments(
                    incident=incident, actor=request.user, files=form.cleaned_data["files"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Lampiran tersimpan."))
                return redirect(incident)
        return render_incident_detail(request, pk, attachment_form=form)


class AttachmentDownloadView(ReadMixin, View):
    """The only way to an uploaded file: scoped lookup, `attachment` disposition, `nosniff`."""

    def get(self, request, pk):
        attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
        response = attachment_response(
            attachment.file, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class IncidentUpdateCreateView(IncidentsFormView):
    template_name = "incidents/update_form.html"
    form_class = IncidentUpdateForm
    success_message = gettext_lazy("Perkembangan tersimpan.")

    def get_object(self):
        return _incident_or_404(self.request, self.kwargs["pk"])

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "files"}
        services.incident_add_update(
            incident=self.object, actor=self.request.user, data=data, files=form.cleaned_data["files"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(incident=self.object, **kwargs)


def _rate_limited(user):
    """Exports are bulk reads: at most KONFLIK_INCIDENT_EXPORTS_PER_MINUTE per user and minute."""
    return per_minute_limit_reached(user, "incidents-export", settings.KONFLIK_INCIDENT_EXPORTS_PER_MINUTE)


class IncidentExportView(ReadMixin, View):
    fmt = "csv"

    def get(self, request):
        if _rate_limited(request.user):
            return HttpResponse(_("Terlalu banyak unduhan; coba lagi sebentar lagi."), status=429)
        filterset = _incident_filter(request)
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponse(_("Saringan tidak sah."), status=400)
        queryset = filterset.qs
        return exports.xlsx_response(queryset) if self.fmt == "xlsx" else exports.csv_response(queryset)


class MapView(ReadMixin, View):
    def get(self, request):
        filterset = _incident_filter(request)
        return render(
            request,
            "incidents/map.html",
            {
                "filter": filterset,
                "bounds": settings.KONFLIK_INCIDENT_BOUNDS,
                "tile_url": settings.KONFLIK_MAP_TILE_URL,
                "attribution": settings.KONFLIK_MAP_ATTRIBUTION,
            },
        )


class MapDataView(ReadMixin, View):
    """Markers as JSON, filtered like the list (the map page's script fetches it)."""

    throttle_scope = "search"  # a bulk read of every report in scope (konflik.throttling)

    def get(self, request):
        filterset = _incident_filter(request)
        if filterset.is_bound and not filterset.is_valid():
            return JsonResponse({"errors": filterset.errors}, status=400)
        potentials = selectors.potential_list(user=request.user).exclude(
            status=ConflictPotential.Status.CLOSED
        )
        if request.GET.get("region"):
            potentials = ConflictPotentialFilter({"region": request.GET["region"]}, queryset=potentials).qs
        markers = selectors.map_markers(user=request.user, incidents=filterset.qs, potentials=potentials)
        return JsonResponse({"markers": markers})


# --- early-warning records ---------------------------------------------------------------------------------


class PotentialListView(ReadMixin, ListView):
    template_name = "incidents/potential_list.html"
    paginate_by = 25
    context_object_name = "potentials"

    def get_queryset(self):
        self.filterset = ConflictPotentialFilter(
            self.request.GET or None, queryset=selectors.potential_list(user=self.request.user)
        )
        qs = self.filterset.qs
        return qs if qs.query.order_by else qs.order_by("-updated", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        return ctx


class PotentialDetailView(ReadMixin, View):
    def get(self, request, pk):
        potential = get_object_or_404(selectors.potential_list(user=request.user), pk=pk)
        return render(request, "incidents/potential_detail.html", {"potential": potential})


class PotentialFormView(IncidentsFormView):
    template_name = "incidents/potential_form.html"
    form_class = ConflictPotentialForm
    success_message = gettext_lazy("Potensi konflik tersimpan.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(selectors.potential_list(user=self.request.user), pk=pk) if pk else None

    def get_form_kwargs(self):
        return {"instance": self.object, "user": self.request.user}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k in services.POTENTIAL_FIELDS}
        if self.object is None:
            return services.potential_create(
                actor=self.request.user, region=form.cleaned_data["region"], data=data
            )
        return services.potential_edit(potential=self.object, actor=self.request.user, data=data)

    def get_context_data(self, **kwargs):
        return super().get_context_data(potential=self.object, **kwargs)


# --- Status Keadaan Konflik --------------------------------------------------------------------------------


class StatusListView(ReadMixin, ListView):
    template_name = "incidents/status_list.html"
    paginate_by = 25
    context_object_name = "statuses"

    def get_queryset(self):
        self.filterset = ConflictStatusFilter(
            self.request.GET or None, queryset=selectors.status_list(user=self.request.user)
        )
        return self.filterset.qs.order_by("-start_date", "-id")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["filter"] = self.filterset
        return ctx


def _status_or_404(request, pk):
    return get_object_or_404(selectors.status_list(user=request.user), pk=pk)


def render_status_detail(request, pk, **forms):
    status = _status_or_404(request, pk)
    ctx = {
        "status": status,
        "extensions": selectors.status_extensions(user=request.user, status=status),
        "incidents": selectors.status_incidents(user=request.user, status=status),
        "can_write": request.user.can_write and status.revoked_on is None,
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "revoke_form": forms.get("revoke_form") or RevokeForm(),
    }
    return render(request, "incidents/status_detail.html", ctx, status=400 if forms else 200)


class StatusDetailView(ReadMixin, View):
    def get(self, request, pk):
        return render_status_detail(request, pk)


class StatusFormView(IncidentsFormView):
    template_name = "incidents/status_form.html"
    form_class = ConflictStatusForm
    success_message = gettext_lazy("Status Keadaan Konflik tersimpan.")

    def get_object(self):
        pk = self.kwargs.get("pk")
        return _status_or_404(self.request, pk) if pk else None

    def get_form_kwargs(self):
        return {"instance": self.object, "user": self.request.user}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k in services.STATUS_FIELDS}
        incidents = form.cleaned_data["incidents"]
        if self.object is None:
            return services.status_create(
                actor=self.request.user,
                scale=form.cleaned_data["scale"],
                region=form.cleaned_data["region"],
                data=data,
                incidents=incidents,
            )
        return services.status_edit(
            status=self.object, actor=self.request.user, data=data, incidents=incidents
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(status=self.object, **kwargs)


class StatusActionView(WriteMixin, View):
    action = ""

    def post(self, request, pk):
        status = _status_or_404(request, pk)
        form_class, key = (
            (ExtendForm, "extend_form") if self.action == "extend" else (RevokeForm, "revoke_form")
        )
        form = form_class(request.POST)
        if form.is_valid():
            try:
                if self.action == "extend":
                    services.status_extend(status=status, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Status diperpanjang."))
                else:
                    services.status_revoke(status=status, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Status dicabut."))
                return redirect(status)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    apply_validation_error(form, exc)
                else:
                    form.add_error(None, exc.messages)
        return render_status_detail(request, pk, **{key: form})
