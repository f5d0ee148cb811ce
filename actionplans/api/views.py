"""`/api/action-plans/`, `/api/activities/`, `/api/realisations/`: querysets from the selectors
(`visible_to(user)`), filters shared with the HTML pages, writes through the services."""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from konflik.permissions import PROVINCE_ROLES

from .. import selectors, services, uploads
from ..filters import ActionPlanFilter, ActivityFilter, RealisationFilter
from .serializers import (
    ActionPlanSerializer,
    ActivitySerializer,
    EvidenceUploadSerializer,
    PlanApproveSerializer,
    PlanCopySerializer,
    PlanReopenSerializer,
    RealisationSerializer,
    ReturnSerializer,
)


class ActionPlanViewSet(viewsets.ModelViewSet):
    """Yearly action plans (one per team and year). `approve` records the approval; `reopen` takes an
    approved plan back to draft for a revision (with a reason); `copy` starts the next year's draft
    from this plan's activities."""

    serializer_class = ActionPlanSerializer
    filterset_class = ActionPlanFilter
    ordering_fields = ["year", "team__region"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.plan_create(
            actor=self.request.user, team=data["team"], year=data["year"], notes=data.get("notes", "")
        )

    def perform_update(self, serializer):
        plan = serializer.instance
        serializer.instance = services.plan_update(
            actor=self.request.user, plan=plan, notes=serializer.validated_data.get("notes", plan.notes)
        )

    def perform_destroy(self, instance):
        services.plan_delete(actor=self.request.user, plan=instance)

    @extend_schema(request=PlanApproveSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = self.get_object()
        body = PlanApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_approve(actor=request.user, plan=plan, **body.validated_data)
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=PlanReopenSerializer, responses=ActionPlanSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        plan = self.get_object()
        body = PlanReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_reopen(actor=request.user, plan=plan, reason=body.validated_data["reason"])
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=PlanCopySerializer, responses={201: ActionPlanSerializer})
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        plan = self.get_object()
        body = PlanCopySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.plan_copy(actor=request.user, source=plan, year=body.validated_data.get("year"))
        return Response(self.get_serializer(new).data, status=status.HTTP_201_CREATED)


class ActivityViewSet(viewsets.ModelViewSet):
    """Activities of the plans, by strategy and sub-type, with a target per period."""

    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["strategy", "position", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.activity_list(user=self.request.user).order_by(
            "plan_id", "strategy", "position", "id"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        plan = data.pop("plan")
        related = data.pop("related_institutions", [])
        serializer.instance = services.activity_create(
            actor=self.request.user, plan=plan, related_institutions=related, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        related = data.pop("related_institutions", None)
        serializer.instance = services.activity_update(
            actor=self.request.user, activity=serializer.instance, related_institutions=related, **data
        )

    def perform_destroy(self, instance):
        services.activity_delete(actor=self.request.user, activity=instance)


class RealisationViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Realisations per activity and period. Workflow: `submit` (draft or returned → submitted),
    `accept` and `return` with `{"note": ...}` (province secretariat only). `evidence` uploads
    supporting files (multipart `files`)."""

    serializer_class = RealisationSerializer
    filterset_class = RealisationFilter
    ordering_fields = ["period", "submitted_at", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_roles = {"accept": PROVINCE_ROLES, "return_": PROVINCE_ROLES}

    def get_queryset(self):
        return selectors.realisation_list(user=self.request.user).order_by(
            "activity__plan_id", "activity_id", "period"
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.realisation_create(
            actor=self.request.user, activity=data.pop("activity"), period=data.pop("period"), **data
        )

    def perform_update(self, serializer):
        serializer.instance = services.realisation_update(
            actor=self.request.user, realisation=serializer.instance, **serializer.validated_data
        )

    def _fresh(self, realisation):
        return self.get_serializer(
            selectors.realisation_list(user=self.request.user).get(pk=realisation.pk)
        ).data

    @extend_schema(request=None, responses=RealisationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        realisation = services.realisation_submit(actor=request.user, realisation=self.get_object())
        return Response(self._fresh(realisation))

    @extend_schema(request=None, responses=RealisationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        realisation = services.realisation_accept(actor=request.user, realisation=self.get_object())
        return Response(self._fresh(realisation))

    @extend_schema(request=ReturnSerializer, responses=RealisationSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        realisation = self.get_object()
        body = ReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        realisation = services.realisation_return(
            actor=request.user, realisation=realisation, note=body.validated_data["note"]
        )
        return Response(self._fresh(realisation))

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses={201: RealisationSerializer}
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        realisation = self.get_object()
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        checked = uploads.check_uploads(body.validated_data["files"])
        with transaction.atomic():
            services.evidence_add(actor=request.user, realisation=realisation, files=checked)
        return Response(self._fresh(realisation), status=status.HTTP_201_CREATED)
