import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from konflik.filters import RegionFilter
from konflik.models import Notification, Region
from konflik.permissions import ALL_ROLES

from .serializers import NotificationSerializer, RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions in the caller's scope (and its ancestors), by Kemendagri code."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="unread")

    class Meta:
        model = Notification
        fields = ["unread", "kind"]


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own in-app notifications; `POST {id}/read/` and `POST read-all/` mark them read."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    write_roles = ALL_ROLES  # marking one's own notification read is open to every role

    def get_queryset(self):
        return Notification.objects.visible_to(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        marked = self.get_queryset().unread().update(read_at=timezone.now())
        return Response({"marked": marked})
