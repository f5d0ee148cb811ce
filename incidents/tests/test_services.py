"""Workflow, numbering, updates, Status Keadaan Konflik and the risk matrix, through the services."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from conftest import REGION_A, REGION_B, make_user
from incidents import services
from incidents.models import Incident, IncidentUpdate, risk_level
from incidents.services import TransitionError
from incidents.tests.conftest import service_data
from konflik.access import OutOfScope
from konflik.models import AuditEvent

TODAY = timezone.localdate


def events(obj, action=None):
    qs = AuditEvent.objects.for_object(obj)
    return qs.filter(action=action) if action else qs


def to_status(incident, status, *, sec, prov):
    """Walk a fresh draft to `status` through the legal path."""
    if status == "draft":
        return incident
    incident = services.incident_submit(incident=incident, actor=sec)
    if status == "submitted":
        return incident
    if status == "returned":
        return services.incident_return(incident=incident, actor=prov, note="Lengkapi kronologi.")
    incident = services.incident_verify(incident=incident, actor=prov)
    if status == "verified":
        return incident
    return services.incident_close(incident=incident, actor=prov, resolved_on=TODAY())


@pytest.mark.django_db
def test_numbers_run_per_regency_and_year(sec_a, sec_b, make_incident):
    year = TODAY().year
    a1, a2 = make_incident(sec_a), make_incident(sec_a)
    b1 = make_incident(sec_b, region=REGION_B)
    assert [a1.number, a2.number, b1.number] == [
        f"61.71/{year}/0001",
        f"61.71/{year}/0002",
        f"61.01/{year}/0001",
    ]


@pytest.mark.django_db
def test_a_refused_form_does_not_use_up_a_number(sec_a, make_incident):
    with pytest.raises(ValidationError):
        make_incident(sec_a, parties=[{"name": "Satu pihak", "kind": "community"}])
    assert make_incident(sec_a).number.endswith("/0001")


@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_distinct_numbers(kalbar_regions):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this checks; SQLite serialises writers anyway")
    sec = make_user("sek-konkuren", "regency_secretariat", REGION_A)
    numbers, errors = [], []
    barrier = threading.Barrier(4)

    def file_one():
        try:
            barrier.wait()
            numbers.append(services.incident_create(actor=sec, region=REGION_A, data=service_data()).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(n[-4:] for n in numbers) == ["0001", "0002", "0003", "0004"]


@pytest.mark.django_db
def test_legal_path_with_return_and_resubmit_is_audited(sec_a, province_sec, incident_a):
    assert events(incident_a, "create").count() == 1
    incident = services.incident_submit(incident=incident_a, actor=sec_a)
    assert (incident.status, events(incident, "submit").count()) == ("submitted", 1)
    incident = services.incident_return(
        incident=incident, actor=province_sec, note="Jumlah korban belum jelas."
    )
    assert incident.status == "returned" and incident.return_note == "Jumlah korban belum jelas."
    assert events(incident, "return").get().note == "Jumlah korban belum jelas."
    incident = services.incident_edit(incident=incident, actor=sec_a, data={"injured": 5})
    assert events(incident, "update").get().changes == {"injured": [3, 5]}
    incident = services.incident_submit(incident=incident, actor=sec_a)
    assert events(incident, "resubmit").count() == 1
    incident = services.incident_verify(incident=incident, actor=province_sec)
    assert incident.status == "verified"
    assert incident.verified_by == province_sec and incident.verified_at is not None
    incident = services.incident_close(incident=incident, actor=province_sec, resolved_on=TODAY())
    assert (incident.status, incident.stage, incident.resolved_on) == ("closed", "resolved", TODAY())
    assert events(incident).count() == 7  # create, submit, return, update, resubmit, verify, close


ILLEGAL = [
    ("draft", "verify"),
    ("draft", "return"),
    ("draft", "close"),
    ("submitted", "submit"),
    ("submitted", "close"),
    ("returned", "verify"),
    ("returned", "return"),
    ("returned", "close"),
    ("verified", "submit"),
    ("verified", "verify"),
    ("verified", "return"),
    ("closed", "submit"),
    ("closed", "verify"),
    ("closed", "return"),
    ("closed", "close"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("status,action", ILLEGAL)
def test_illegal_transitions_are_refused_with_a_message(sec_a, province_sec, incident_a, status, action):
    incident = to_status(incident_a, status, sec=sec_a, prov=province_sec)
    before = events(incident).count()
    call = {
        "submit": lambda: services.incident_submit(incident=incident, actor=sec_a),
        "verify": lambda: services.incident_verify(incident=incident, actor=province_sec),
        "return": lambda: services.incident_return(incident=incident, actor=province_sec, note="Catatan"),
        "close": lambda: services.incident_close(incident=incident, actor=province_sec, resolved_on=TODAY()),
    }[action]
    with pytest.raises(TransitionError) as exc:
        call()
    assert "tidak dapat" in exc.value.messages[0]
    incident.refresh_from_db()
    assert incident.status == status
    assert events(incident).count() == before


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["submitted", "verified", "closed"])
def test_a_submitted_report_is_locked_for_edits(sec_a, province_sec, incident_a, status):
    incident = to_status(incident_a, status, sec=sec_a, prov=province_sec)
    with pytest.raises(TransitionError):
        services.incident_edit(incident=incident, actor=sec_a, data={"title": "Diam-diam diubah"})
    incident.refresh_from_db()
    assert incident.title != "Diam-diam diubah"


@pytest.mark.django_db
def test_only_the_province_verifies_returns_and_closes(sec_a, leadership, incident_a):
    incident = services.incident_submit(incident=incident_a, actor=sec_a)
    for actor in (sec_a, leadership):
        with pytest.raises(PermissionDenied):
            services.incident_verify(incident=incident, actor=actor)
        with pytest.raises(PermissionDenied):
            services.incident_return(incident=incident, actor=actor, note="x")
    with pytest.raises(PermissionDenied):
        services.incident_submit(incident=incident, actor=leadership)


@pytest.mark.django_db
def test_returning_needs_a_note(sec_a, province_sec, incident_a):
    incident = services.incident_submit(incident=incident_a, actor=sec_a)
    with pytest.raises(ValidationError) as exc:
        services.incident_return(incident=incident, actor=province_sec, note="  ")
    assert "note" in exc.value.message_dict


@pytest.mark.django_db
def test_closing_needs_a_plausible_resolution_date(sec_a, province_sec, incident_a):
    incident = to_status(incident_a, "verified", sec=sec_a, prov=province_sec)
    for bad in (
        None,
        TODAY() + datetime.timedelta(days=1),
        incident.occurred_on - datetime.timedelta(days=1),
    ):
        with pytest.raises(ValidationError) as exc:
            services.incident_close(incident=incident, actor=province_sec, resolved_on=bad)
        assert "resolved_on" in exc.value.message_dict


@pytest.mark.django_db
def test_updates_only_after_verification_and_they_revise_the_figures(sec_a, province_sec, incident_a):
    with pytest.raises(TransitionError):
        services.incident_add_update(incident=incident_a, actor=sec_a, data={"description": "Info baru"})
    incident = to_status(incident_a, "verified", sec=sec_a, prov=province_sec)
    update = services.incident_add_update(
        incident=incident,
        actor=sec_a,
        data={"description": "Dua korban luka meninggal.", "deaths": 2, "stage": "handled"},
    )
    incident.refresh_from_db()
    assert (incident.deaths, incident.injured, incident.stage) == (2, 3, "handled")
    assert IncidentUpdate.objects.filter(incident=incident).count() == 1
    assert events(update, "create").count() == 1
    revision = events(incident, "update").get()
    assert revision.changes == {"deaths": [0, 2], "stage": ["occurring", "handled"]}
    with pytest.raises(ValidationError):
        services.incident_add_update(incident=incident, actor=sec_a, data={"description": "x", "deaths": -1})


@pytest.mark.django_db
def test_writes_stay_in_scope(sec_a, incident_b, make_incident):
    with pytest.raises(ValidationError) as exc:
        make_incident(sec_a, region=REGION_B)
    assert "region" in exc.value.message_dict
    # Another region's report does not exist for this writer: 404 (OutOfScope), not a 400.
    with pytest.raises(OutOfScope):
        services.incident_edit(incident=incident_b, actor=sec_a, data={"title": "x"})
    with pytest.raises(OutOfScope):
        services.incident_submit(incident=incident_b, actor=sec_a)
    incident_b.refresh_from_db()
    assert incident_b.status == "draft"


@pytest.mark.django_db
def test_a_district_and_village_must_lie_in_the_regency(sec_a, places, make_incident):
    incident = make_incident(
        sec_a, district=places.get(code="61.71.01"), village=places.get(code="61.71.01.1001")
    )
    assert incident.village_id == "61.71.01.1001"
    with pytest.raises(ValidationError) as exc:
        make_incident(sec_a, district=places.get(code="61.01.01"))
    assert "district" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        make_incident(sec_a, district=places.get(code="61.71.02"), village=places.get(code="61.71.01.1001"))
    assert "village" in exc.value.message_dict


@pytest.mark.parametrize(
    "likelihood,impact,expected",
    [
        (1, 1, "low"), (1, 2, "low"), (2, 1, "low"),
        (1, 3, "medium"), (1, 4, "medium"), (2, 2, "medium"), (3, 1, "medium"), (4, 1, "medium"),
        (2, 3, "high"), (2, 4, "high"), (3, 2, "high"), (4, 2, "high"),
        (3, 3, "very_high"), (3, 4, "very_high"), (4, 3, "very_high"), (4, 4, "very_high"),
    ],
)  # fmt: skip
def test_risk_matrix(likelihood, impact, expected):
    assert risk_level(likelihood, impact) == expected


@pytest.mark.django_db
def test_potential_risk_follows_the_matrix_on_edit(sec_a):
    potential = services.potential_create(
        actor=sec_a,
        region=REGION_A,
        data={
            "title": "Tapal batas",
            "source_of_conflict": "boundary_dispute",
            "description": "d",
            "likelihood": 1,
            "impact": 2,
        },
    )
    assert potential.risk_level == "low"
    potential = services.potential_edit(potential=potential, actor=sec_a, data={"likelihood": 3})
    assert potential.risk_level == "high"
    assert events(potential, "update").get().changes["risk_level"] == ["low", "high"]


def skk_data(**overrides):
    start = TODAY() - datetime.timedelta(days=5)
    data = {
        "decree_number": "188.45/12/HK/2026",
        "decree_date": start,
        "declared_by": "Wali Kota Pontianak",
        "dprd_consultation_on": start - datetime.timedelta(days=1),
        "start_date": start,
        "end_date": start + datetime.timedelta(days=90),
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_status_lasts_at_most_90_days(sec_a):
    start = TODAY() - datetime.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        services.status_create(
            actor=sec_a,
            scale="regency",
            region=REGION_A,
            data=skk_data(end_date=start + datetime.timedelta(days=91)),
        )
    assert "90 hari" in exc.value.message_dict["end_date"][0]
    with pytest.raises(ValidationError) as exc:
        services.status_create(actor=sec_a, scale="province", region=REGION_A, data=skk_data())
    assert "region" in exc.value.message_dict


@pytest.mark.django_db
def test_status_extension_length_and_count_come_from_settings(sec_a, settings):
    settings.KONFLIK_INCIDENT_SKK_EXTENSION_DAYS = 15
    status = services.status_create(actor=sec_a, scale="regency", region=REGION_A, data=skk_data())
    end = status.end_date
    extension = services.status_extend(
        status=status, actor=sec_a, decree_number="188.45/20", decree_date=TODAY()
    )
    status.refresh_from_db()
    assert (extension.previous_end_date, status.end_date) == (end, end + datetime.timedelta(days=15))
    assert status.original_end_date == end
    with pytest.raises(TransitionError):
        services.status_extend(status=status, actor=sec_a, decree_number="188.45/21", decree_date=TODAY())
    assert events(status, "extend").count() == 1


@pytest.mark.django_db
def test_revoked_status_is_no_longer_active(sec_a):
    status = services.status_create(actor=sec_a, scale="regency", region=REGION_A, data=skk_data())
    assert status.is_active()
    status = services.status_revoke(status=status, actor=sec_a, revoked_on=TODAY(), decree_number="188.45/30")
    assert not status.is_active() and status.state == "revoked"
    with pytest.raises(TransitionError):
        services.status_extend(status=status, actor=sec_a, decree_number="x", decree_date=TODAY())


@pytest.mark.django_db
def test_status_links_only_incidents_of_its_region(sec_a, province_sec, incident_a, incident_b):
    status = services.status_create(
        actor=sec_a, scale="regency", region=REGION_A, data=skk_data(), incidents=[incident_a.pk]
    )
    assert list(status.incidents.all()) == [incident_a]
    with pytest.raises(ValidationError):  # invisible to A: "unknown"
        services.status_create(
            actor=sec_a, scale="regency", region=REGION_A, data=skk_data(), incidents=[incident_b.pk]
        )
    with pytest.raises(ValidationError):  # visible to the province, but outside 61.71
        services.status_create(
            actor=province_sec, scale="regency", region=REGION_A, data=skk_data(), incidents=[incident_b.pk]
        )
    assert Incident.objects.get(pk=incident_b.pk).conflict_statuses.count() == 0
