"""One FilterSet per model, shared by the HTML pages and the API viewsets. The querysets they filter
are already `visible_to(user)`: a filter only ever narrows what the user may see."""

import django_filters
from django.utils.translation import gettext_lazy as _

from konflik.filters import RegionCodeFilter

from .models import ActionPlan, Activity, Realisation, Strategy, SubType
from .periods import Period


class ActionPlanFilter(django_filters.FilterSet):
    team = django_filters.NumberFilter(field_name="team_id", label=_("tim"))
    region = RegionCodeFilter("team__region", label=_("wilayah (kode)"))
    year = django_filters.NumberFilter(field_name="year", label=_("tahun"))
    status = django_filters.ChoiceFilter(choices=ActionPlan.Status.choices, label=_("status"))

    class Meta:
        model = ActionPlan
        fields = ["team", "region", "year", "status"]


class ActivityFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="plan_id", label=_("rencana aksi"))
    team = django_filters.NumberFilter(field_name="plan__team_id", label=_("tim"))
    region = RegionCodeFilter("plan__team__region", label=_("wilayah (kode)"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("tahun"))
    strategy = django_filters.ChoiceFilter(choices=Strategy.choices, label=_("strategi"))
    sub_type = django_filters.ChoiceFilter(choices=SubType.choices, label=_("sub-lingkup"))
    period = django_filters.ChoiceFilter(
        choices=Period.choices, method="filter_period", label=_("periode (bertarget)")
    )
    status = django_filters.ChoiceFilter(
        field_name="plan__status", choices=ActionPlan.Status.choices, label=_("status rencana")
    )
    is_national = django_filters.BooleanFilter(label=_("kegiatan nasional"))

    class Meta:
        model = Activity
        fields = ["plan", "team", "region", "year", "strategy", "sub_type", "period", "status", "is_national"]

    def filter_period(self, queryset, name, value):
        """Activities that have a target in the period."""
        return queryset.filter(**{f"target_{value.lower()}__gt": 0})


class RealisationFilter(django_filters.FilterSet):
    plan = django_filters.NumberFilter(field_name="activity__plan_id", label=_("rencana aksi"))
    activity = django_filters.NumberFilter(field_name="activity_id", label=_("kegiatan"))
    team = django_filters.NumberFilter(field_name="activity__plan__team_id", label=_("tim"))
    region = RegionCodeFilter("activity__plan__team__region", label=_("wilayah (kode)"))
    year = django_filters.NumberFilter(field_name="activity__plan__year", label=_("tahun"))
    strategy = django_filters.ChoiceFilter(
        field_name="activity__strategy", choices=Strategy.choices, label=_("strategi")
    )
    period = django_filters.ChoiceFilter(choices=Period.choices, label=_("periode"))
    status = django_filters.ChoiceFilter(choices=Realisation.Status.choices, label=_("status"))
    on_time = django_filters.BooleanFilter(label=_("tepat waktu"))

    class Meta:
        model = Realisation
        fields = ["plan", "activity", "team", "region", "year", "strategy", "period", "status", "on_time"]
