import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .models import Region
from .scoping import scope_q

# A Kemendagri code: province `61`, regency/city `61.71`, district `61.71.01`, village `61.71.01.1002`.
REGION_CODE_RE = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"


class RegionCodeFilter(django_filters.CharFilter):
    """`?region=61.71`: the rows whose region is 61.71 or lies below it (its districts and villages).

    `field_name` is the path from the filtered model to its region (`"region"`, `"team__region"`,
    `"meeting__team__region"`: usually the model's `scope_field`). A value that is not a Kemendagri
    code is a field error ("Kode wilayah tidak valid."): a 400 in the API, ignored on an HTML list.
    It only narrows a queryset that is already `visible_to(user)`, so another region's code gives an
    empty list, never that region's rows.

        region = RegionCodeFilter("team__region", label=_("Wilayah (kode)"))
    """

    def __init__(self, field_name="region", *args, **kwargs):
        kwargs.setdefault("label", _("Wilayah (kode Kemendagri)"))
        kwargs.setdefault("validators", [RegexValidator(REGION_CODE_RE, _("Kode wilayah tidak valid."))])
        super().__init__(field_name, *args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(scope_q(self.field_name, value))


class RegionFilter(django_filters.FilterSet):
    """Shared by the region browser and `/api/regions/`."""

    level = django_filters.ChoiceFilter(choices=Region.Level.choices)
    parent = django_filters.CharFilter(field_name="parent_id")
    code = django_filters.CharFilter(field_name="code")

    class Meta:
        model = Region
        fields = ["level", "parent", "code"]
