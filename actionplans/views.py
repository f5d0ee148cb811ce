"""HTML pages of the action plans. Every object is fetched through `visible_to(user)` (another
region's object is a 404); roles are checked by `RoleRequiredMixin` (leadership's POSTs are 403);
writes go through `services`, whose Indonesian ValidationErrors are shown on the page."""

import contextlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView, View

from konflik.permissions import PROVINCE_ROLES, READ_ROLES, WRITE_ROLES, RoleRequiredMixin, has_role
from konflik.throttling import per_minute_limit_reached
from konflik.uploads import attachment_response
from konflik.web import ServiceFormView, apply_validation_error, editable_copy

from . import excel, periods, selectors, services, uploads
from .filters import ActionPlanFilter, ActivityFilter, RealisationFilter
from .forms import (
    ActivityForm,
    ImportForm,
    PlanApproveForm,
    PlanCopyForm,
    PlanCreateForm,
    PlanNotesForm,
    PlanReopenForm,
    RealisationForm,
    ReturnForm,
)
from .models import ActionPlan, Activity, Evidence, Realisation
from .periods import PERIODS, Period


def _rate_limited(user) -> bool:
    """Excel exports and imports: at most KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE per user per minute."""
    from django.conf import settings

    return per_minute_limit_reached(user, "actionplans-excel", settings.KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE)


class Base(RoleRequiredMixin):
    roles = READ_ROLES

    def plan(self, pk):
        return get_object_or_404(
            ActionPlan.objects.visible_to(self.request.user).select_related("team"), pk=pk
        )

    def activity(self, pk):
        qs = Activity.objects.visible_to(self.request.user).select_related("plan__team")
        return get_object_or_404(qs, pk=pk)

    def realisation(self, pk):
        qs = Realisation.objects.visible_to(self.request.user).select_related("activity__plan__team")
        return get_object_or_404(qs, pk=pk)

    def can_write(self):
        return has_role(self.request.user, WRITE_ROLES)


# --- plans -------------------------------------------------------------------------------------------


class PlanListView(Base, ListView):
    template_name = "actionplans/plan_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = ActionPlanFilter(
            self.request.GET or None, queryset=selectors.plan_list(user=self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(filter=self.filterset, can_write=self.can_write())
        return ctx


class PlanCreateView(ServiceFormView):
    template_name = "actionplans/plan_form.html"
    form_class = PlanCreateForm
    service = services.plan_create
    success_message = gettext_lazy("Rencana aksi dibuat.")

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def get_success_url(self, plan):
        return reverse("actionplans:detail", args=[plan.pk])


class PlanDetailView(Base, TemplateView):
    """The plan matrix, grouped by strategy, with the achievement per strategy and period."""

    template_name = "actionplans/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        plan = self.plan(kwargs["pk"])
        activity_filter = ActivityFilter(
            self.request.GET or None, queryset=Activity.objects.visible_to(user).filter(plan=plan)
        )
        matrix = selectors.plan_matrix(user=user, plan=plan, activities=activity_filter.qs)
        ctx.update(
            plan=plan,
            matrix=matrix,
            filter=activity_filter,
            periods=PERIODS,
            can_write=self.can_write(),
            copy_form=PlanCopyForm(initial={"year": plan.year + 1}),
            approve_form=PlanApproveForm(initial={"approved_on": timezone.localdate()}),
            reopen_form=PlanReopenForm(),
            import_form=ImportForm(),
        )
        return ctx


class PlanUpdateView(Base, ServiceFormView):
    roles = WRITE_ROLES
    template_name = "actionplans/plan_edit.html"
    form_class = PlanNotesForm
    success_message = gettext_lazy("Rencana aksi disimpan.")

    def get_object(self):
        return self.plan(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {"instance": editable_copy(self.object)}

    def perform(self, form):
        services.plan_update(actor=self.request.user, plan=self.object, notes=form.cleaned_data["notes"])

    def get_success_url(self, result):
        return self.get_back_url()

    def get_back_url(self):
        return reverse("actionplans:detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.object, **kwargs)


class PlanActionView(Base, View):
    """POST-only plan steps: approve, reopen, copy, delete."""

    roles = WRITE_ROLES
    step = ""

    def post(self, request, pk):
        plan = self.plan(pk)
        try:
            if self.step == "approve":
                form = PlanApproveForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                services.plan_approve(actor=request.user, plan=plan, **form.cleaned_data)
                messages.success(request, _("Rencana aksi disetujui."))
            elif self.step == "reopen":
                form = PlanReopenForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                services.plan_reopen(actor=request.user, plan=plan, reason=form.cleaned_data["reason"])
                messages.success(request, _("Rencana aksi dibuka kembali sebagai draf untuk direvisi."))
            elif self.step == "copy":
                form = PlanCopyForm(request.POST)
                if not form.is_valid():
                    raise ValidationError([e for errs in form.errors.values() for e in errs])
                new = services.plan_copy(actor=request.user, source=plan, year=form.cleaned_data["year"])
                messages.success(
                    request, _("Rencana aksi %(year)s dibuat dari salinan.") % {"year": new.year}
                )
                return redirect("actionplans:detail", pk=new.pk)
            elif self.step == "delete":
                services.plan_delete(actor=request.user, plan=plan)
                messages.success(request, _("Rencana aksi dihapus."))
                return redirect("actionplans:list")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("actionplans:detail", pk=plan.pk)


class PlanExportView(Base, View):
    def get(self, request, pk):
        plan = self.plan(pk)
        if _rate_limited(request.user):
            return HttpResponse(_("Terlalu banyak permintaan ekspor; coba lagi sebentar."), status=429)
        matrix = selectors.plan_matrix(user=request.user, plan=plan)
        content = excel.export_plan(plan=plan, matrix=matrix)
        response = HttpResponse(content, content_type=uploads.XLSX[1])
        name = f"rencana-aksi-{plan.team.region_id}-{plan.year}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PlanImportView(Base, TemplateView):
    roles = WRITE_ROLES
    template_name = "actionplans/plan_import.html"

    def get(self, request, pk):
        return self.render_to_response({"plan": self.plan(pk), "form": ImportForm()})

    def post(self, request, pk):
        plan = self.plan(pk)
        form = ImportForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            if _rate_limited(request.user):
                return HttpResponse(_("Terlalu banyak permintaan impor; coba lagi sebentar."), status=429)
            try:
                rows = excel.parse_activities(
                    uploaded=form.cleaned_data["file"], plan=plan, user=request.user
                )
                created = services.plan_import_activities(actor=request.user, plan=plan, rows=rows)
            except excel.ImportRefused as exc:
                row_errors = [excel.ImportRefused.format(n, reason) for n, reason in exc.row_errors]
            except ValidationError as exc:
                row_errors = exc.messages
            else:
                messages.success(request, _("%(n)s kegiatan diimpor.") % {"n": len(created)})
                return redirect("actionplans:detail", pk=plan.pk)
        return self.render_to_response(
            {"plan": plan, "form": form, "row_errors": row_errors}, status=400 if row_errors else 200
        )


# --- activities --------------------------------------------------------------------------------------


class ActivityFormView(Base, ServiceFormView):
    """A new activity of a plan (`plan_pk`) or an existing one (`pk`)."""

    roles = WRITE_ROLES
    template_name = "actionplans/activity_form.html"
    form_class = ActivityForm
    success_message = gettext_lazy("Kegiatan disimpan.")

    def get_object(self):
        if "plan_pk" in self.kwargs:
            self.plan_obj = self.plan(self.kwargs["plan_pk"])
            return None
        activity = self.activity(self.kwargs["pk"])
        self.plan_obj = activity.plan
        return activity

    def get_form_kwargs(self):
        instance = editable_copy(self.object) if self.object is not None else None
        return {"instance": instance, "user": self.request.user, "plan": self.plan_obj}

    def perform(self, form):
        data = dict(form.cleaned_data)
        related = list(data.pop("related_institutions"))
        data["position"] = data.get("position") or 0
        if self.object is None:
            services.activity_create(
                actor=self.request.user, plan=self.plan_obj, related_institutions=related, **data
            )
        else:
            services.activity_update(
                actor=self.request.user, activity=self.object, related_institutions=related, **data
            )

    def get_success_url(self, result):
        return self.get_back_url()

    def get_back_url(self):
        return reverse("actionplans:detail", args=[self.plan_obj.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan_obj, activity=self.object, **kwargs)


class ActivityDeleteView(Base, View):
    roles = WRITE_ROLES

    def post(self, request, pk):
        activity = self.activity(pk)
        try:
            services.activity_delete(actor=request.user, activity=activity)
            messages.success(request, _("Kegiatan dihapus."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("actionplans:detail", pk=activity.plan_id)


# --- realisations ------------------------------------------------------------------------------------


def _store_evidence(request, realisation, files):
    checked = uploads.check_uploads(files)
    if checked:
        services.evidence_add(actor=request.user, realisation=realisation, files=checked)


class RealisationStartView(Base, TemplateView):
    """The form for an activity's realisation of a period not reported yet (or its page if it is)."""

    template_name = "actionplans/realisation_detail.html"

    def _setup(self, pk, period):
        if period not in Period.values:
            raise Http404
        activity = self.activity(pk)
        existing = Realisation.objects.filter(activity=activity, period=period).first()
        return activity, existing

    def get(self, request, pk, period):
        activity, existing = self._setup(pk, period)
        if existing:
            return redirect("actionplans:realisation", pk=existing.pk)
        if not self.can_write():
            raise PermissionDenied
        return self.render_to_response(self._context(activity, period, RealisationForm()))

    def _context(self, activity, period, form):
        return {
            "activity": activity,
            "plan": activity.plan,
            "period": period,
            "period_label": Period(period).label,
            "deadline": periods.deadline_date(activity.plan.year, period),
            "target": activity.target_for(period),
            "form": form,
            "can_edit": True,
        }

    def post(self, request, pk, period):
        activity, existing = self._setup(pk, period)
        if existing:
            return redirect("actionplans:realisation", pk=existing.pk)
        form = RealisationForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            files = data.pop("evidence_files")
            try:
                with transaction.atomic():
                    realisation = services.realisation_create(
                        actor=request.user, activity=activity, period=period, **data
                    )
                    _store_evidence(request, realisation, files)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Realisasi disimpan sebagai draf."))
                return redirect("actionplans:realisation", pk=realisation.pk)
        return self.render_to_response(self._context(activity, period, form))


class RealisationDetailView(Base, TemplateView):
    template_name = "actionplans/realisation_detail.html"

    def _context(self, realisation, form=None):
        user = self.request.user
        editable = realisation.is_editable and self.can_write()
        activity = realisation.activity
        return {
            "realisation": realisation,
            "activity": activity,
            "plan": activity.plan,
            "period": realisation.period,
            "period_label": realisation.get_period_display(),
            "deadline": periods.deadline_date(activity.plan.year, realisation.period),
            "target": activity.target_for(realisation.period),
            "evidence": selectors.realisation_evidence(user=user, realisation=realisation),
            "form": form or (RealisationForm(instance=realisation) if editable else None),
            "can_edit": editable,
            "can_submit": editable,
            "can_review": realisation.status == Realisation.Status.SUBMITTED
            and has_role(user, PROVINCE_ROLES),
            "return_form": ReturnForm(),
        }

    def get(self, request, pk):
        return self.render_to_response(self._context(self.realisation(pk)))

    def post(self, request, pk):
        realisation = self.realisation(pk)
        form = RealisationForm(
            request.POST, request.FILES, instance=Realisation.objects.get(pk=realisation.pk)
        )
        if form.is_valid():
            data = dict(form.cleaned_data)
            files = data.pop("evidence_files")
            try:
                with transaction.atomic():
                    services.realisation_update(actor=request.user, realisation=realisation, **data)
                    _store_evidence(request, realisation, files)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Realisasi disimpan."))
                return redirect("actionplans:realisation", pk=realisation.pk)
        realisation.refresh_from_db()
        return self.render_to_response(self._context(realisation, form))


class RealisationStepView(Base, View):
    """POST-only workflow steps: submit (secretariats), accept and return (province)."""

    step = ""

    def dispatch(self, request, *args, **kwargs):
        self.write_roles = PROVINCE_ROLES if self.step in ("accept", "return") else WRITE_ROLES
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, pk):
        realisation = self.realisation(pk)
        try:
            if self.step == "submit":
                realisation = services.realisation_submit(actor=request.user, realisation=realisation)
                if realisation.on_time is False:
                    messages.warning(request, _("Realisasi dikirim (terlambat)."))
                else:
                    messages.success(request, _("Realisasi dikirim ke provinsi."))
            elif self.step == "accept":
                services.realisation_accept(actor=request.user, realisation=realisation)
                messages.success(request, _("Realisasi diterima."))
            elif self.step == "return":
                form = ReturnForm(request.POST)
                note = form.data.get("note", "")
                services.realisation_return(actor=request.user, realisation=realisation, note=note)
                messages.success(request, _("Realisasi dikembalikan dengan catatan."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("actionplans:realisation", pk=realisation.pk)


class RealisationListView(Base, ListView):
    template_name = "actionplans/realisation_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = RealisationFilter(
            self.request.GET or None, queryset=selectors.realisation_list(user=self.request.user)
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(filter=self.filterset)
        return ctx


# --- evidence ----------------------------------------------------------------------------------------


class EvidenceDownloadView(Base, View):
    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.visible_to(request.user), pk=pk)
        return attachment_response(
            evidence.file, filename=evidence.original_name, content_type=evidence.content_type
        )


class EvidenceDeleteView(Base, View):
    roles = WRITE_ROLES

    def post(self, request, pk):
        evidence = get_object_or_404(
            Evidence.objects.visible_to(request.user).select_related("realisation__activity__plan__team"),
            pk=pk,
        )
        try:
            services.evidence_delete(actor=request.user, evidence=evidence)
            messages.success(request, _("Data dukung dihapus."))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("actionplans:realisation", pk=evidence.realisation_id)


# --- the regency's due page and the province's submission table --------------------------------------


def _year_period(request, default):
    year, period = default
    with contextlib.suppress(ValueError):
        year = int(request.GET.get("year", year))
    year = min(max(year, 2000), 2100)
    if request.GET.get("period") in Period.values:
        period = request.GET["period"]
    return year, period


class DueView(Base, TemplateView):
    """What the regency must report for the period due now, and what is overdue."""

    template_name = "actionplans/due.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        year, period = _year_period(self.request, periods.due_period())
        items = selectors.due_activities(user=user, year=year, period=period)
        reported = sum(
            1 for a in items if a.period_realisation and a.period_realisation.status in Realisation.REPORTED
        )
        ctx.update(
            year=year,
            period=period,
            period_label=Period(period).label,
            deadline=periods.deadline_date(year, period),
            items=items,
            reported=reported,
            overdue=[
                item
                for item in selectors.overdue_activities(user=user)
                if (item[0], item[1]) != (year, period)
            ],
            periods=PERIODS,
            can_write=self.can_write(),
        )
        return ctx


class SubmissionTableView(Base, TemplateView):
    """For each regency and period: submitted on time, late, or missing, with the achievement."""

    template_name = "actionplans/submissions.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, _period = _year_period(self.request, (timezone.localdate().year, PERIODS[0]))
        rows = selectors.submission_table(user=self.request.user, year=year)
        ctx.update(
            year=year,
            rows=rows,
            periods=PERIODS,
            period_heads=[(p, periods.deadline_date(year, p)) for p in PERIODS],
            review_url=reverse("actionplans:realisations") + f"?status=submitted&year={year}",
        )
        return ctx
