"""Factories for the incidents app (rows written directly; services are what the tests exercise)."""

import datetime
import itertools

import factory
from django.utils import timezone

from incidents.models import ConflictPotential, ConflictStatus, Incident, risk_level

_numbers = itertools.count(1)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    region_id = "61.71"
    sequence = factory.LazyFunction(lambda: next(_numbers))
    year = 2026
    number = factory.LazyAttribute(lambda o: f"{o.region_id}/{o.year}/{o.sequence:04d}")
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    title = factory.Sequence(lambda n: f"Bentrok warga {n}")
    source_of_conflict = "natural_resource_dispute"
    parties = factory.LazyFunction(
        lambda: [
            {"name": "Warga Desa Sungai", "kind": "community"},
            {"name": "PT Kebun Jaya", "kind": "company"},
        ]
    )
    chronology = "Warga menolak pembukaan lahan."
    search_text = factory.LazyAttribute(
        lambda o: f"{o.title}\n{o.chronology}\nWarga Desa Sungai PT Kebun Jaya"
    )
    status = Incident.Status.DRAFT
    verified_at = factory.LazyAttribute(
        lambda o: timezone.now() if o.status in ("verified", "closed") else None
    )
    resolved_on = factory.LazyAttribute(lambda o: o.occurred_on if o.status == "closed" else None)


class PotentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictPotential

    region_id = "61.71"
    title = factory.Sequence(lambda n: f"Sengketa lahan {n}")
    source_of_conflict = "boundary_dispute"
    description = "Klaim tapal batas."
    likelihood = 2
    impact = 2
    risk_level = factory.LazyAttribute(lambda o: risk_level(o.likelihood, o.impact))


class StatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictStatus

    scale = "regency"
    region_id = "61.71"
    decree_number = factory.Sequence(lambda n: f"188.45/{n}/2026")
    decree_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    declared_by = "Wali Kota Pontianak"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    end_date = factory.LazyAttribute(lambda o: o.start_date + datetime.timedelta(days=60))
    original_end_date = factory.LazyAttribute(lambda o: o.end_date)
