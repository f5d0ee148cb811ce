from rest_framework import viewsets

from konflik.filters import RegionFilter
from konflik.models import Region

from .serializers import RegionSerializer


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions in the caller's scope (and its ancestors), by Kemendagri code."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9.]+"
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return Region.objects.visible_to(self.request.user)
