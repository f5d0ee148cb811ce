"""Shared fixtures of the incidents tests: a few districts and villages of regencies A and B, a valid
report payload, and a report of each regency filed through the services."""

import datetime

import pytest
from django.utils import timezone

from conftest import REGION_A, REGION_B
from incidents import services
from konflik.models import Region


@pytest.fixture
def places(db):
    """Districts and villages: A = 61.71 (Kota Pontianak), B = 61.01 (Kabupaten Sambas)."""
    Region.objects.create(code="61.71.01", name="Pontianak Selatan", level="district", parent_id=REGION_A)
    Region.objects.create(code="61.71.02", name="Pontianak Timur", level="district", parent_id=REGION_A)
    Region.objects.create(
        code="61.71.01.1001", name="Benua Melayu Darat", level="village", parent_id="61.71.01"
    )
    Region.objects.create(code="61.01.01", name="Sambas", level="district", parent_id=REGION_B)
    Region.objects.create(code="61.01.01.2001", name="Lumbang", level="village", parent_id="61.01.01")
    return Region.objects.filter(level__in=["district", "village"])


def payload(**overrides):
    """A valid report as API JSON (region codes)."""
    data = {
        "region": REGION_A,
        "title": "Bentrok warga dan perusahaan sawit",
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "date_precision": "day",
        "source_of_conflict": "natural_resource_dispute",
        "parties": [
            {"name": "Warga Desa Sungai Ambawang", "kind": "community"},
            {"name": "PT Sawit Makmur", "kind": "company"},
        ],
        "people_involved": 120,
        "deaths": 0,
        "injured": 3,
        "displaced": 0,
        "buildings_damaged": 1,
        "estimated_loss": "15000000",
        "chronology": "Warga memblokade jalan kebun karena sengketa lahan plasma.",
        "stage": "occurring",
        "latitude": "-0.026300",
        "longitude": "109.342500",
    }
    data.update(overrides)
    return data


def service_data(**overrides):
    data = payload(**overrides)
    data.pop("region")
    if isinstance(data["occurred_on"], str):
        data["occurred_on"] = datetime.date.fromisoformat(data["occurred_on"])
    return data


@pytest.fixture
def make_incident():
    """`make_incident(actor, region="61.71", **fields)` files a draft through the service."""

    def make(actor, region=REGION_A, **overrides):
        return services.incident_create(actor=actor, region=region, data=service_data(**overrides))

    return make


@pytest.fixture
def incident_a(sec_a, make_incident):
    return make_incident(sec_a, title="Sengketa lahan Pontianak PENANDA-A")


@pytest.fixture
def incident_b(sec_b, make_incident):
    return make_incident(
        sec_b, region=REGION_B, title="Bentrok Sambas PENANDA-B", latitude="1.360000", longitude="109.300000"
    )
