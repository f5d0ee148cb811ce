"""`/api/dashboard/` (the leadership dashboard's figures) and `/api/period-reports/` (periodic
reports: list, read, request). Every figure and row is `visible_to(request.user)`."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from konflik.permissions import READ_ROLES

from .. import selectors, services
from ..models import PeriodicReport
from ..views import report_requests_limited
from .serializers import DashboardQuerySerializer, DashboardSerializer, PeriodicReportSerializer


class DashboardAPIView(APIView):
    """The dashboard for a year (`?year=`), optionally a period (`?period=B04`) and a regency in the
    caller's scope (`?region=61.71`)."""

    read_roles = READ_ROLES

    @extend_schema(parameters=[DashboardQuerySerializer], responses=DashboardSerializer)
    def get(self, request):
        query = DashboardQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = query.validated_data.get("region") or ""
        if region and region not in {code for code, _ in selectors.regency_choices(user=request.user)}:
            raise serializers.ValidationError({"region": [_("Wilayah di luar cakupan Anda.")]})
        selection = selectors.Selection(
            year=query.validated_data.get("year") or timezone.localdate().year,
            period=query.validated_data.get("period") or "",
            region=region,
        )
        data = selectors.dashboard(user=request.user, selection=selection)
        return Response(DashboardSerializer(DashboardSerializer.from_dashboard(data)).data)


class PeriodicReportFilter(django_filters.FilterSet):
    class Meta:
        model = PeriodicReport
        fields = ["team", "year", "period", "status", "automatic"]


class PeriodicReportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Periodic reports in the caller's scope. `POST` (secretariats) queues a team's report; poll
    the row's `status`/`progress`, then download from `pdf_url`/`xlsx_url`."""

    serializer_class = PeriodicReportSerializer
    filterset_class = PeriodicReportFilter
    queryset = PeriodicReport.objects.none()  # for the schema; the real one is get_queryset()

    def get_queryset(self):
        return (
            PeriodicReport.objects.visible_to(self.request.user)
            .select_related("team")
            .order_by("-created", "-id")
        )

    def perform_create(self, serializer):
        # the same per-minute limit as the form (dashboard.views), counted together with it
        if report_requests_limited(self.request.user):
            raise exceptions.Throttled(
                detail=_("Terlalu banyak permintaan laporan; coba lagi sebentar lagi.")
            )
        data = serializer.validated_data
        serializer.instance = services.report_request(
            actor=self.request.user, team=data["team"], year=data["year"], period=data["period"]
        )
