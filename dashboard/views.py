"""HTML pages of the dashboard: the leadership dashboard, the periodic reports (list and request,
progress, download). Reading needs a reading role; requesting a report a secretariat (leadership's
POST is 403); another region's report is a 404."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from konflik.permissions import READ_ROLES, WRITE_ROLES, RoleRequiredMixin, has_role
from konflik.throttling import per_minute_limit_reached
from konflik.web import apply_validation_error
from teams.models import Team

from . import charts, selectors, services
from .forms import DashboardQueryForm, ReportRequestForm
from .models import PeriodicReport


class ReadMixin(RoleRequiredMixin):
    roles = READ_ROLES


def dashboard_context(request):
    regions = selectors.regency_choices(user=request.user)
    form = DashboardQueryForm(
        request.GET or None, regions=regions, initial={"year": timezone.localdate().year}
    )
    selection = form.selection()
    data = selectors.dashboard(user=request.user, selection=selection)
    area_title = (
        _("Kejadian per provinsi") if data.area_level == "province" else _("Kejadian per kabupaten/kota")
    )
    return {
        "form": form,
        "data": data,
        "selection": data.selection,
        "charts": {
            "month": charts.vertical_bars(
                chart_id="chart-month", title=_("Kejadian per bulan"), bars=data.by_month
            ),
            "area": charts.horizontal_bars(chart_id="chart-area", title=area_title, bars=data.by_area),
            "source": charts.horizontal_bars(
                chart_id="chart-source",
                title=_("Kejadian per sumber konflik"),
                bars=data.by_source,
                label_width=230,
            ),
            "stage": charts.horizontal_bars(
                chart_id="chart-stage", title=_("Kejadian per tahap"), bars=data.by_stage
            ),
            "achievement": charts.horizontal_bars(
                chart_id="chart-achievement",
                title=_("Capaian rencana aksi per kabupaten/kota (%)"),
                bars=data.achievement_by_regency,
                maximum=100,
                suffix="%",
            ),
        },
        "area_title": area_title,
    }


class DashboardView(ReadMixin, View):
    def get(self, request):
        return render(request, "dashboard/home.html", dashboard_context(request))


def report_requests_limited(user) -> bool:
    """Report requests (the form and the API): at most KONFLIK_DASHBOARD_REPORTS_PER_MINUTE per user
    per minute."""
    return per_minute_limit_reached(user, "dashboard-reports", settings.KONFLIK_DASHBOARD_REPORTS_PER_MINUTE)


class ReportListView(ReadMixin, View):
    template_name = "dashboard/report_list.html"

    def _teams(self, request):
        return Team.objects.visible_to(request.user).select_related("region").order_by("region_id")

    def _render(self, request, form, status=200):
        reports = (
            PeriodicReport.objects.visible_to(request.user)
            .select_related("team", "requested_by")
            .order_by("-created", "-id")[:50]
        )
        can_request = has_role(request.user, WRITE_ROLES)
        return render(
            request,
            self.template_name,
            {"reports": reports, "form": form if can_request else None},
            status=status,
        )

    def get(self, request):
        return self._render(request, ReportRequestForm(teams=self._teams(request)))

    def post(self, request):
        form = ReportRequestForm(request.POST, teams=self._teams(request))
        if not form.is_valid():
            return self._render(request, form, status=400)
        if report_requests_limited(request.user):
            form.add_error(None, _("Terlalu banyak permintaan laporan; coba lagi sebentar lagi."))
            return self._render(request, form, status=429)
        try:
            report = services.report_request(
                actor=request.user,
                team=form.cleaned_data["team"],
                year=form.cleaned_data["year"],
                period=form.cleaned_data["period"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self._render(request, form, status=400)
        except PermissionDenied:
            raise
        messages.success(request, _("Laporan sedang disiapkan."))
        return redirect(report)


class ReportDetailView(ReadMixin, View):
    def get(self, request, pk):
        report = get_object_or_404(
            PeriodicReport.objects.visible_to(request.user).select_related("team", "requested_by"), pk=pk
        )
        return render(request, "dashboard/report_detail.html", {"report": report})


class ReportDownloadView(ReadMixin, View):
    """The only way to a report's file: scoped lookup, `attachment` disposition, `nosniff`."""

    TYPES = {
        "pdf": ("pdf_file", "application/pdf"),
        "xlsx": ("xlsx_file", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }

    def get(self, request, pk, fmt):
        if fmt not in self.TYPES:
            raise Http404
        report = get_object_or_404(
            PeriodicReport.objects.visible_to(request.user).select_related("team"), pk=pk
        )
        field, content_type = self.TYPES[fmt]
        stored = getattr(report, field)
        if report.status != PeriodicReport.Status.DONE or not stored:
            raise Http404
        try:
            handle = stored.open("rb")
        except FileNotFoundError:
            raise Http404
        response = FileResponse(
            handle, as_attachment=True, filename=report.download_name(fmt), content_type=content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
