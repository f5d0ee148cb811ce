"""One FilterSet per listable model, shared by the HTML lists and the API. Ids are plain numbers (no
lookup in another region's rows); `region` is a Kemendagri code and means "that region and below"."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konflik.filters import RegionCodeFilter

from .models import FollowUp, Institution, Meeting, Member, Team


class TeamFilter(django_filters.FilterSet):
    region = RegionCodeFilter("region")

    class Meta:
        model = Team
        fields = ["region"]


class InstitutionFilter(django_filters.FilterSet):
    region = RegionCodeFilter("region")
    kind = django_filters.ChoiceFilter(choices=Institution.Kind.choices, label=_("Jenis"))
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Cari nama"))

    class Meta:
        model = Institution
        fields = ["region", "kind", "q"]


class MemberFilter(django_filters.FilterSet):
    region = RegionCodeFilter("team__region")
    team = django_filters.NumberFilter(field_name="team_id", label=_("Tim"))
    decree = django_filters.NumberFilter(field_name="decree_id", label=_("SK"))
    institution = django_filters.NumberFilter(field_name="institution_id", label=_("Instansi"))
    position = django_filters.NumberFilter(field_name="position_id", label=_("Kedudukan"))
    current = django_filters.BooleanFilter(method="filter_current", label=_("Hanya SK berlaku"))
    q = django_filters.CharFilter(method="filter_q", label=_("Cari nama/jabatan"))

    class Meta:
        model = Member
        fields = ["region", "team", "decree", "institution", "position", "current", "q"]

    def filter_current(self, qs, name, value):
        from .selectors import current_members_q

        if value is None:
            return qs
        return qs.filter(current_members_q()) if value else qs.exclude(current_members_q())

    def filter_q(self, qs, name, value):
        from django.db.models import Q

        return qs.filter(Q(name__icontains=value) | Q(office__icontains=value)) if value else qs


class MeetingFilter(django_filters.FilterSet):
    region = RegionCodeFilter("team__region")
    team = django_filters.NumberFilter(field_name="team_id", label=_("Tim penyelenggara"))
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, label=_("Jenis rapat"))
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, label=_("Status"))
    period = django_filters.ChoiceFilter(choices=Meeting.Period.choices, label=_("Periode"))
    date_from = django_filters.DateFilter(
        field_name="start", lookup_expr="date__gte", label=_("Dari tanggal")
    )
    date_to = django_filters.DateFilter(
        field_name="start", lookup_expr="date__lte", label=_("Sampai tanggal")
    )
    invited_team = django_filters.NumberFilter(
        field_name="invitations__team_id", label=_("Tim yang diundang")
    )

    class Meta:
        model = Meeting
        fields = ["region", "team", "kind", "status", "period", "date_from", "date_to", "invited_team"]


class FollowUpFilter(django_filters.FilterSet):
    region = RegionCodeFilter("meeting__team__region")
    team = django_filters.NumberFilter(field_name="meeting__team_id", label=_("Tim penyelenggara"))
    meeting = django_filters.NumberFilter(field_name="meeting_id", label=_("Rapat"))
    owner = django_filters.NumberFilter(field_name="owner_id", label=_("Penanggung jawab"))
    status = django_filters.ChoiceFilter(choices=FollowUp.Status.choices, label=_("Status"))
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Tenggat dari"))
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Tenggat sampai"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Terlambat"))

    class Meta:
        model = FollowUp
        fields = ["region", "team", "meeting", "owner", "status", "due_from", "due_to", "overdue"]

    def filter_overdue(self, qs, name, value):
        if value is None:
            return qs
        late = {"status": FollowUp.Status.OPEN, "due_date__lt": timezone.localdate()}
        return qs.filter(**late) if value else qs.exclude(**late)
