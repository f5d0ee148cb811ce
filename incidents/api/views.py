"""`/api/incidents/`, `/api/conflict-potentials/`, `/api/conflict-statuses/`.

Every queryset starts from `visible_to(request.user)` (another region's object is a 404); writes call
the services, whose `ValidationError` becomes a 400 with field errors and `PermissionDenied` a 403.
"""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from konflik.permissions import PROVINCE_ROLES
from konflik.scoping import scoped_prefetch
from konflik.selectors import object_history

from .. import selectors, services
from ..filters import ConflictPotentialFilter, ConflictStatusFilter, IncidentFilter
from ..models import Attachment, ConflictPotential, ConflictStatus, ConflictStatusExtension, Incident
from .serializers import (
    ConflictPotentialSerializer,
    ConflictStatusExtendSerializer,
    ConflictStatusRevokeSerializer,
    ConflictStatusSerializer,
    IncidentAttachmentSerializer,
    IncidentAttachmentUploadSerializer,
    IncidentCloseSerializer,
    IncidentHistoryEventSerializer,
    IncidentReturnSerializer,
    IncidentSerializer,
    IncidentUpdateSerializer,
)


class WriteThroughServices:
    """No PUT (partial updates only) and no DELETE: reports are never silently replaced or removed."""

    http_method_names = ["get", "post", "patch", "head", "options"]


class IncidentViewSet(
    WriteThroughServices,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Incident reports in the caller's scope. `region` is the regency/city's Kemendagri code."""

    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    # The FilterSet carries `ordering` itself, so the HTML list and the API sort alike.
    filter_backends = [DjangoFilterBackend]
    action_roles = {"verify": PROVINCE_ROLES, "return_": PROVINCE_ROLES, "close": PROVINCE_ROLES}
    queryset = Incident.objects.none()  # for the schema; the real one is get_queryset()

    def get_queryset(self):
        return selectors.incident_list(user=self.request.user).select_related("created_by", "verified_by")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        region = data.pop("region")
        serializer.instance = services.incident_create(actor=self.request.user, region=region, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("region", None)  # equal to the current one (the serializer refuses a change)
        serializer.instance = services.incident_edit(
            incident=serializer.instance, actor=self.request.user, data=data
        )

    def _respond(self, incident):
        incident = self.get_queryset().get(pk=incident.pk)
        return Response(IncidentSerializer(incident, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._respond(services.incident_submit(incident=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._respond(services.incident_verify(incident=self.get_object(), actor=request.user))

    @extend_schema(request=IncidentReturnSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        incident = self.get_object()
        body = IncidentReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.incident_return(incident=incident, actor=request.user, **body.validated_data)
        )

    @extend_schema(request=IncidentCloseSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        incident = self.get_object()
        body = IncidentCloseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(
            services.incident_close(incident=incident, actor=request.user, **body.validated_data)
        )

    @extend_schema(methods=["GET"], request=None, responses=IncidentUpdateSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=IncidentUpdateSerializer, responses={201: IncidentUpdateSerializer}
    )
    @action(
        detail=True, methods=["get", "post"], serializer_class=IncidentUpdateSerializer, pagination_class=None
    )
    def updates(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            rows = selectors.incident_updates(user=request.user, incident=incident)
            return Response(IncidentUpdateSerializer(rows, many=True).data)
        body = IncidentUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = services.incident_add_update(
            incident=incident, actor=request.user, data=dict(body.validated_data)
        )
        return Response(IncidentUpdateSerializer(update).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], request=None, responses=IncidentAttachmentSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": IncidentAttachmentUploadSerializer},
        responses={201: IncidentAttachmentSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser, JSONParser],
        serializer_class=IncidentAttachmentUploadSerializer,
        pagination_class=None,  # a plain list, as the schema says
    )
    def attachments(self, request, pk=None):
        incident = self.get_object()
        if request.method == "GET":
            rows = Attachment.objects.visible_to(request.user).filter(incident=incident)
            return Response(IncidentAttachmentSerializer(rows, many=True).data)
        files = request.FILES.getlist("files")
        created = services.incident_add_attachments(incident=incident, actor=request.user, files=files)
        return Response(IncidentAttachmentSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=IncidentHistoryEventSerializer(many=True))
    @action(
        detail=True, methods=["get"], serializer_class=IncidentHistoryEventSerializer, pagination_class=None
    )
    def history(self, request, pk=None):
        incident = self.get_object()
        return Response(
            IncidentHistoryEventSerializer(object_history(user=request.user, obj=incident), many=True).data
        )


class ConflictPotentialViewSet(
    WriteThroughServices,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Early-warning records (potensi konflik); `risk_level` follows likelihood × impact."""

    serializer_class = ConflictPotentialSerializer
    filterset_class = ConflictPotentialFilter
    filter_backends = IncidentViewSet.filter_backends
    queryset = ConflictPotential.objects.none()

    def get_queryset(self):
        return selectors.potential_list(user=self.request.user).order_by("-updated", "-id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        region = data.pop("region")
        serializer.instance = services.potential_create(actor=self.request.user, region=region, data=data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("region", None)
        serializer.instance = services.potential_edit(
            potential=serializer.instance, actor=self.request.user, data=data
        )


class ConflictStatusViewSet(
    WriteThroughServices,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Status Keadaan Konflik, with `extend` and `revoke` actions."""

    serializer_class = ConflictStatusSerializer
    filterset_class = ConflictStatusFilter
    filter_backends = IncidentViewSet.filter_backends
    queryset = ConflictStatus.objects.none()

    def get_queryset(self):
        user = self.request.user
        return (
            selectors.status_list(user=user)
            .prefetch_related(
                scoped_prefetch(
                    "extensions", user, ConflictStatusExtension.objects.order_by("created", "id")
                ),
                scoped_prefetch("incidents", user, Incident.objects.only("id")),
            )
            .order_by("-start_date", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        region = data.pop("region")
        scale = data.pop("scale")
        incidents = data.pop("incidents", [])
        serializer.instance = services.status_create(
            actor=self.request.user, scale=scale, region=region, data=data, incidents=incidents
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("region", None)
        data.pop("scale", None)
        incidents = data.pop("incidents", None)
        serializer.instance = services.status_edit(
            status=serializer.instance, actor=self.request.user, data=data, incidents=incidents
        )

    def _respond(self, obj):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(ConflictStatusSerializer(obj, context=self.get_serializer_context()).data)

    @extend_schema(request=ConflictStatusExtendSerializer, responses=ConflictStatusSerializer)
    @action(detail=True, methods=["post"], serializer_class=ConflictStatusExtendSerializer)
    def extend(self, request, pk=None):
        obj = self.get_object()
        body = ConflictStatusExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.status_extend(status=obj, actor=request.user, **body.validated_data)
        return self._respond(obj)

    @extend_schema(request=ConflictStatusRevokeSerializer, responses=ConflictStatusSerializer)
    @action(detail=True, methods=["post"], serializer_class=ConflictStatusRevokeSerializer)
    def revoke(self, request, pk=None):
        obj = self.get_object()
        body = ConflictStatusRevokeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._respond(services.status_revoke(status=obj, actor=request.user, **body.validated_data))
