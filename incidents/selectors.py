"""Reads of the incidents app, all built on `visible_to(user)`: lists, search, exports, the map and the
figures a dashboard needs (counts by month, regency, source and stage; casualties; resolution rate)."""

from django.db import connection
from django.db.models import CharField, Count, F, Func, Q, Sum, Value
from django.db.models.functions import ExtractMonth
from django.db.models.lookups import Exact
from django.utils import timezone

from konflik.models import Region
from konflik.scoping import scoped_prefetch

from .models import (
    SEARCH_CONFIG,
    Attachment,
    ConflictPotential,
    ConflictStatus,
    ConflictStatusExtension,
    Incident,
    IncidentUpdate,
)


def incidents_for(user):
    return Incident.objects.visible_to(user)


def incident_list(*, user):
    """The base of every list, export and map of reports: the user's scope, with the regions joined."""
    return Incident.objects.visible_to(user).for_list()


def search_incidents(queryset, text: str, *, user=None):
    """Full-text search over title, chronology and party names.

    PostgreSQL: the stored `search_vector` (`to_tsvector(SEARCH_CONFIG, search_text)`) against a web-style
    query (words, "phrases", -exclusions) stemmed by the same configuration, served by the GIN index of
    migrations 0004/0005 with the scope.
    A regency's scope (`region_id = '61.71'`) is an equality that index serves as it is. A province's
    (`region_id LIKE '61.%'`) is a range a GIN index cannot use, so its count restates the same scope
    as the index's province key (`split_part(region_id, '.', 1) = '61'`): PostgreSQL then counts a
    common word's matches in the province inside the index instead of reading the whole country's.
    Elsewhere (SQLite): every word must appear.
    """
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery

        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        queryset = queryset.filter(search_vector=query)
        province = _province_scope(user)
        if province:
            key = Func(F("region_id"), Value("."), Value(1), function="split_part", output_field=CharField())
            queryset = queryset.counted_with(Exact(key, province))
        return queryset
    condition = Q()
    for word in text.split():
        condition &= Q(search_text__icontains=word.strip('"'))
    return queryset.filter(condition)


def _province_scope(user):
    """The province code of a province-level user whose every read is limited to it, else None."""
    if user is None or not getattr(user, "is_authenticated", False) or user.is_admin_role:
        return None
    code = user.region_id or ""
    return code if code and "." not in code else None


def incident_detail(*, user, pk):
    return (
        Incident.objects.visible_to(user)
        .select_related("region", "district", "village", "created_by", "verified_by")
        .get(pk=pk)
    )


def incident_updates(*, user, incident):
    return list(
        IncidentUpdate.objects.visible_to(user)
        .filter(incident=incident)
        .select_related("created_by")
        .prefetch_related(scoped_prefetch("attachments", user))
    )


def incident_attachments(*, user, incident):
    return list(Attachment.objects.visible_to(user).filter(incident=incident, update__isnull=True))


def active_statuses_for_incident(*, user, incident, day=None):
    """Active Status Keadaan Konflik that cover the report (linked, or declared over its regency or province)."""
    day = day or timezone.localdate()
    codes = [incident.region_id, *Region.ancestor_codes(incident.region_id)]
    return list(
        ConflictStatus.objects.visible_to(user)
        .active_on(day)
        .filter(Q(incidents=incident) | Q(region_id__in=codes))
        .select_related("region")
        .distinct()
    )


def active_statuses(*, user, day=None):
    """Every active Status Keadaan Konflik the user may see (for the dashboard and the list pages)."""
    return list(
        ConflictStatus.objects.visible_to(user)
        .active_on(day or timezone.localdate())
        .select_related("region")
    )


def potential_list(*, user):
    return ConflictPotential.objects.visible_to(user).select_related("region")


def status_list(*, user):
    return ConflictStatus.objects.visible_to(user).select_related("region")


def status_extensions(*, user, status):
    return list(ConflictStatusExtension.objects.visible_to(user).filter(status=status))


def status_incidents(*, user, status):
    """The reports linked to a status that the user may see."""
    return list(Incident.objects.visible_to(user).filter(conflict_statuses=status).select_related("region"))


def map_markers(*, user, incidents, potentials):
    """Marker dicts for the map: reports and early-warning records that have coordinates."""
    markers = []
    for i in incidents.filter(latitude__isnull=False, longitude__isnull=False)[:5000]:
        markers.append(
            {
                "type": "incident",
                "id": i.pk,
                "lat": float(i.latitude),
                "lng": float(i.longitude),
                "label": i.number,
                "title": i.title,
                "status": i.status,
                "status_label": str(i.get_status_display()),
                "date": i.occurred_on.isoformat(),
                "region": i.region.name,
                "deaths": i.deaths,
                "url": i.get_absolute_url(),
            }
        )
    for p in potentials.filter(latitude__isnull=False, longitude__isnull=False)[:5000]:
        markers.append(
            {
                "type": "potential",
                "id": p.pk,
                "lat": float(p.latitude),
                "lng": float(p.longitude),
                "label": str(p.get_risk_level_display()),
                "title": p.title,
                "risk": p.risk_level,
                "region": p.region.name,
                "url": p.get_absolute_url(),
            }
        )
    return markers


# --- for the dashboard (issue 6) ---------------------------------------------------------------------------

COUNTED = ~Q(status=Incident.Status.DRAFT)  # drafts are not yet reports


def counts_by_month(*, user, year: int):
    """{month: count} of reports that occurred in `year` (drafts excluded)."""
    rows = (
        Incident.objects.visible_to(user)
        .filter(COUNTED, occurred_on__year=year)
        .annotate(month=ExtractMonth("occurred_on"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    )
    return {row["month"]: row["n"] for row in rows}


def _counts_by(user, field, **filters):
    rows = (
        Incident.objects.visible_to(user)
        .filter(COUNTED, **filters)
        .values(field)
        .annotate(n=Count("id"))
        .order_by(field)
    )
    return {row[field]: row["n"] for row in rows}


def counts_by_regency(*, user, **filters):
    """{regency code: count}; pass e.g. `occurred_on__year=2026`."""
    return _counts_by(user, "region_id", **filters)


def counts_by_source(*, user, **filters):
    return _counts_by(user, "source_of_conflict", **filters)


def counts_by_stage(*, user, **filters):
    return _counts_by(user, "stage", **filters)


def counts_by_status(*, user, **filters):
    rows = Incident.objects.visible_to(user).filter(**filters).values("status").annotate(n=Count("id"))
    return {row["status"]: row["n"] for row in rows}


def casualties(*, user, **filters):
    """Totals of dead, injured, displaced, buildings damaged and estimated loss."""
    totals = (
        Incident.objects.visible_to(user)
        .filter(COUNTED, **filters)
        .aggregate(
            deaths=Sum("deaths"),
            injured=Sum("injured"),
            displaced=Sum("displaced"),
            buildings_damaged=Sum("buildings_damaged"),
            estimated_loss=Sum("estimated_loss"),
            incidents=Count("id"),
        )
    )
    return {k: v or 0 for k, v in totals.items()}


def resolution_rate(*, user, year: int):
    """Persentase Penyelesaian Konflik Sosial: resolved ÷ occurred × 100 for reports of `year`."""
    qs = Incident.objects.visible_to(user).filter(COUNTED, occurred_on__year=year)
    totals = qs.aggregate(
        occurred=Count("id"),
        resolved=Count("id", filter=Q(status=Incident.Status.CLOSED) | Q(stage=Incident.Stage.RESOLVED)),
    )
    if not totals["occurred"]:
        return None
    return round(100 * totals["resolved"] / totals["occurred"], 1)


def potentials_by_risk(*, user):
    rows = (
        ConflictPotential.objects.visible_to(user)
        .exclude(status=ConflictPotential.Status.CLOSED)
        .values("risk_level")
        .annotate(n=Count("id"))
    )
    return {row["risk_level"]: row["n"] for row in rows}
