import django_filters
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import Region, User
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


class UserFilter(django_filters.FilterSet):
    """The account list of `/pengguna/`: a search over names and e-mail, role, region (and below), status."""

    q = django_filters.CharFilter(label=_("Cari"), method="search", max_length=100)
    role = django_filters.ChoiceFilter(
        label=_("Peran"), choices=User.Role.choices, empty_label=_("Semua peran")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Wilayah"), queryset=Region.objects.none(), method="in_region", empty_label=_("Semua wilayah")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("active", _("Aktif")), ("inactive", _("Nonaktif"))],
        method="by_status",
        empty_label=_("Semua"),
    )

    class Meta:
        model = User
        fields = ["q", "role", "region", "status"]

    def __init__(self, *args, **kwargs):
        from .forms import account_regions

        super().__init__(*args, **kwargs)
        self.filters["region"].queryset = account_regions()

    def search(self, queryset, name, value):
        words = value.split()[:5]
        for word in words:
            queryset = queryset.filter(
                Q(username__icontains=word)
                | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        return queryset

    def in_region(self, queryset, name, value):
        return queryset.filter(scope_q("region", value.code))

    def by_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")
