import django_filters

from .models import Region


class RegionFilter(django_filters.FilterSet):
    """Shared by the region browser and `/api/regions/`."""

    level = django_filters.ChoiceFilter(choices=Region.Level.choices)
    parent = django_filters.CharFilter(field_name="parent_id")
    code = django_filters.CharFilter(field_name="code")

    class Meta:
        model = Region
        fields = ["level", "parent", "code"]
