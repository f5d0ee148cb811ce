"""One FilterSet per listable model, shared by the HTML lists, the exports, the map and the API.

They only narrow a queryset that is already `visible_to(user)`: `?region=` of another regency gives
an empty list, never that regency's rows.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from konflik.filters import RegionCodeFilter

from .models import ConflictPotential, ConflictStatus, Incident, RiskLevel, SourceOfConflict
from .selectors import search_incidents


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari"), max_length=200)
    region = RegionCodeFilter("region", label=_("Kabupaten/kota (kode)"))
    district = RegionCodeFilter("district", label=_("Kecamatan (kode)"))
    date_from = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="gte", label=_("Dari tanggal")
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_on", lookup_expr="lte", label=_("Sampai tanggal")
    )
    source_of_conflict = django_filters.ChoiceFilter(
        choices=SourceOfConflict.choices, label=_("Sumber konflik")
    )
    stage = django_filters.ChoiceFilter(choices=Incident.Stage.choices, label=_("Tahap"))
    status = django_filters.ChoiceFilter(choices=Incident.Status.choices, label=_("Status"))
    with_casualties = django_filters.BooleanFilter(method="casualties", label=_("Dengan korban"))
    # Drafts are not yet reports: the dashboard's figures leave them out, and so do its links.
    reported = django_filters.BooleanFilter(method="reported_only", label=_("Sudah diajukan"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("occurred_on", "occurred_on"),
            ("number", "number"),
            ("region_id", "region"),
            ("status", "status"),
            ("deaths", "deaths"),
            ("reported_at", "reported_at"),
        ),
        field_labels={
            "occurred_on": _("Tanggal kejadian"),
            "number": _("Nomor"),
            "region_id": _("Wilayah"),
            "status": _("Status"),
            "deaths": _("Tewas"),
            "reported_at": _("Tanggal laporan"),
        },
        label=_("Urutkan"),
    )

    class Meta:
        model = Incident
        fields = [
            "q",
            "region",
            "district",
            "date_from",
            "date_to",
            "source_of_conflict",
            "stage",
            "status",
            "with_casualties",
            "reported",
        ]

    def search(self, queryset, name, value):
        return search_incidents(queryset, value, user=getattr(self.request, "user", None))

    def casualties(self, queryset, name, value):
        has = Q(deaths__gt=0) | Q(injured__gt=0)
        if value is True:
            return queryset.filter(has)
        if value is False:
            return queryset.exclude(has)
        return queryset

    def reported_only(self, queryset, name, value):
        if value is True:
            return queryset.exclude(status=Incident.Status.DRAFT)
        if value is False:
            return queryset.filter(status=Incident.Status.DRAFT)
        return queryset

    @property
    def qs(self):
        qs = super().qs
        if getattr(self.form, "cleaned_data", {}).get("ordering"):
            return qs.order_by(*qs.query.order_by, "-id")  # a stable order for pagination
        return qs.order_by("-occurred_on", "-id")


class ConflictPotentialFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari"), max_length=200)
    region = RegionCodeFilter("region", label=_("Wilayah (kode)"))
    source_of_conflict = django_filters.ChoiceFilter(
        choices=SourceOfConflict.choices, label=_("Sumber konflik")
    )
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("Tingkat risiko"))
    status = django_filters.ChoiceFilter(choices=ConflictPotential.Status.choices, label=_("Status"))
    review_before = django_filters.DateFilter(
        field_name="next_review_on", lookup_expr="lte", label=_("Tinjauan sebelum")
    )
    ordering = django_filters.OrderingFilter(
        fields=(("updated", "updated"), ("next_review_on", "next_review_on"), ("likelihood", "likelihood")),
        label=_("Urutkan"),
    )

    class Meta:
        model = ConflictPotential
        fields = ["q", "region", "source_of_conflict", "risk_level", "status", "review_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(place__icontains=value)
        )


class ConflictStatusFilter(django_filters.FilterSet):
    region = RegionCodeFilter("region", label=_("Wilayah (kode)"))
    scale = django_filters.ChoiceFilter(choices=ConflictStatus.Scale.choices, label=_("Skala"))
    active_on = django_filters.DateFilter(method="active", label=_("Berlaku pada"))

    class Meta:
        model = ConflictStatus
        fields = ["region", "scale", "active_on"]

    def active(self, queryset, name, value):
        return queryset.active_on(value)
