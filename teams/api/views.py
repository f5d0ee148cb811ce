"""`/api/teams/`, `/api/institutions/`, `/api/positions/`, `/api/members/`, `/api/meetings/`,
`/api/follow-ups/`: scoped reads (`visible_to`), writes through the services (which re-check scope)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from konflik.permissions import ALL_ROLES

from .. import selectors, services, uploads
from ..filters import FollowUpFilter, InstitutionFilter, MeetingFilter, MemberFilter, TeamFilter
from ..models import Position
from .serializers import (
    AttachmentSerializer,
    CancelSerializer,
    DecreeSerializer,
    DecreeStartSerializer,
    FollowUpSerializer,
    InstitutionSerializer,
    MeetingSerializer,
    MemberSerializer,
    MinutesUploadSerializer,
    PositionSerializer,
    TeamSerializer,
)


class _ServiceViewSet(viewsets.ModelViewSet):
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def _respond_with(self, obj, serializer):
        serializer.instance = self.get_queryset().get(pk=obj.pk)


class TeamViewSet(_ServiceViewSet):
    """Tim Terpadu in the caller's scope. A new decree (SK) starts a new membership list:
    `POST {id}/decrees/`."""

    serializer_class = TeamSerializer
    filterset_class = TeamFilter
    ordering_fields = ["region", "name"]

    def get_queryset(self):
        return selectors.team_list(user=self.request.user)

    def perform_create(self, serializer):
        self._respond_with(
            services.team_create(actor=self.request.user, **serializer.validated_data), serializer
        )

    def perform_update(self, serializer):
        team = services.team_update(
            actor=self.request.user, team=serializer.instance, **serializer.validated_data
        )
        self._respond_with(team, serializer)

    @extend_schema(request=DecreeStartSerializer, responses={201: DecreeSerializer})
    @action(detail=True, methods=["post"])
    def decrees(self, request, pk=None):
        team = self.get_object()
        body = DecreeStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decree = services.decree_start(actor=request.user, team=team, **body.validated_data)
        return Response(DecreeSerializer(decree).data, status=201)


class InstitutionViewSet(_ServiceViewSet):
    serializer_class = InstitutionSerializer
    filterset_class = InstitutionFilter
    ordering_fields = ["name", "region"]

    def get_queryset(self):
        return selectors.institution_list(user=self.request.user)

    def perform_create(self, serializer):
        obj = services.institution_create(actor=self.request.user, **serializer.validated_data)
        self._respond_with(obj, serializer)

    def perform_update(self, serializer):
        data = serializer.validated_data
        obj = services.institution_update(
            actor=self.request.user,
            institution=serializer.instance,
            name=data.get("name", serializer.instance.name),
            kind=data.get("kind", serializer.instance.kind),
        )
        self._respond_with(obj, serializer)


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    """The configurable list of positions in a team (edited in the admin)."""

    serializer_class = PositionSerializer
    queryset = Position.objects.all()
    pagination_class = None


class MemberViewSet(_ServiceViewSet):
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    ordering_fields = ["name", "team"]
    http_method_names = [*_ServiceViewSet.http_method_names, "delete"]

    def get_queryset(self):
        return selectors.member_list(user=self.request.user)

    def perform_create(self, serializer):
        obj = services.member_create(actor=self.request.user, **serializer.validated_data)
        self._respond_with(obj, serializer)

    def perform_update(self, serializer):
        obj = services.member_update(
            actor=self.request.user, member=serializer.instance, **serializer.validated_data
        )
        self._respond_with(obj, serializer)

    def perform_destroy(self, instance):
        services.member_delete(actor=self.request.user, member=instance)


class MeetingViewSet(_ServiceViewSet):
    """Meetings of the caller's scope and those inviting a team in it; a member sees the meetings they
    are invited to. Cancel with `POST {id}/cancel/`; the `.ics` is at `ics_url`."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["start", "title"]

    def get_queryset(self):
        return (
            selectors.meeting_list(user=self.request.user)
            .prefetch_related(*selectors.meeting_nested_rows(user=self.request.user))
            .order_by("-start", "-id")
        )

    def perform_create(self, serializer):
        obj = services.meeting_schedule(actor=self.request.user, **serializer.validated_data)
        self._respond_with(obj, serializer)

    def perform_update(self, serializer):
        obj = services.meeting_update(
            actor=self.request.user, meeting=serializer.instance, **serializer.validated_data
        )
        self._respond_with(obj, serializer)

    @extend_schema(
        request={"multipart/form-data": MinutesUploadSerializer}, responses={201: AttachmentSerializer}
    )
    @action(
        detail=True,
        methods=["post"],
        parser_classes=[MultiPartParser, FormParser],
        serializer_class=MinutesUploadSerializer,
    )
    def attachments(self, request, pk=None):
        """Attach a file to the minutes (the organising team's secretariat); one file per request."""
        meeting = self.get_object()
        if not selectors.can_manage_team(request.user, meeting.team):
            raise PermissionDenied  # an invited team reads the meeting but does not write its minutes
        body = MinutesUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            clean = uploads.clean_upload(body.validated_data["file"])
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        attachment = services.attachment_add(actor=request.user, meeting=meeting, clean=clean)
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.meeting_cancel(actor=request.user, meeting=meeting, note=body.validated_data.get("note", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)


class FollowUpViewSet(_ServiceViewSet):
    """Follow-up items of meetings in scope (and those owned by members of a team in scope); a member
    sees the items they own. Mark done with `PATCH {"status": "done"}`: the organising team's
    secretariat, or the item's owner (signed in with the account linked to their membership), who may
    change the status and nothing else."""

    serializer_class = FollowUpSerializer
    # Anyone signed in may PATCH as far as the role goes; the service lets through the secretariat in
    # scope, or the owner changing only the status (everyone else: 403, or 404 for what they cannot see).
    action_roles = {"partial_update": ALL_ROLES}
    filterset_class = FollowUpFilter
    ordering_fields = ["due_date", "status"]

    def get_queryset(self):
        return selectors.followup_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("status", None)  # a new item is open
        obj = services.followup_create(actor=self.request.user, **data)
        self._respond_with(obj, serializer)

    def perform_update(self, serializer):
        obj = services.followup_update(
            actor=self.request.user, follow_up=serializer.instance, **serializer.validated_data
        )
        self._respond_with(obj, serializer)
