"""Reports filed through the incidents services (so the rollup hook runs, as in production)."""

import datetime

from incidents import services

PARTIES = [{"name": "Warga Desa", "kind": "community"}, {"name": "PT Kebun", "kind": "company"}]


def incident(actor, region, *, occurred_on, **fields):
    data = {
        "title": fields.pop("title", "Bentrok warga"),
        "occurred_on": occurred_on,
        "reported_at": fields.pop(
            "reported_at",
            datetime.datetime.combine(occurred_on, datetime.time(12), tzinfo=datetime.UTC),
        ),
        "source_of_conflict": fields.pop("source_of_conflict", "natural_resource_dispute"),
        "parties": PARTIES,
        "chronology": "Warga menolak pembukaan lahan.",
        "stage": fields.pop("stage", "occurring"),
        **fields,
    }
    return services.incident_create(actor=actor, region=region, data=data)


def advance(incident, *, to, actor, reviewer, resolved_on=None):
    """Take a draft through the workflow to `to` (draft, submitted, returned, verified, closed)."""
    if to == "draft":
        return incident
    incident = services.incident_submit(incident=incident, actor=actor)
    if to == "submitted":
        return incident
    if to == "returned":
        return services.incident_return(incident=incident, actor=reviewer, note="Lengkapi data.")
    incident = services.incident_verify(incident=incident, actor=reviewer)
    if to == "verified":
        return incident
    return services.incident_close(
        incident=incident, actor=reviewer, resolved_on=resolved_on or incident.occurred_on
    )
