"""The rollup stays equal to the incident rows after every kind of change (each service calls the
hook in its own transaction), and `rebuild_rollups` recomputes it from scratch."""

import datetime

import pytest
from django.core.management import call_command

from dashboard import rollups
from dashboard.models import IncidentRollup
from incidents import services

from . import factories as f

pytestmark = pytest.mark.django_db


def table():
    """The rollup as {key: figures}, without empty keys."""
    return {
        tuple(row[k] for k in IncidentRollup.KEY): tuple(int(row[k]) for k in IncidentRollup.FIGURES)
        for row in IncidentRollup.objects.values(*IncidentRollup.KEY, *IncidentRollup.FIGURES)
        if row["incidents"]
    }


def from_rows():
    """The same, computed straight from the incident rows."""
    return {
        (r["region_id"], r["r_year"], r["r_month"], r["source_of_conflict"], r["stage"], r["status"]): (
            r["n"],
            r["s_deaths"],
            r["s_injured"],
            r["s_displaced"],
            r["s_buildings"],
            int(r["s_loss"]),
        )
        for r in rollups.source_rows()
    }


def assert_in_step():
    assert table() == from_rows()


def test_every_change_keeps_the_rollup_in_step(late_2026, sec_a, sec_b, province_sec):
    day = datetime.date(2026, 3, 14)
    a = f.incident(sec_a, "61.71", occurred_on=day, deaths=2, injured=3, estimated_loss=5_000_000)
    b = f.incident(sec_b, "61.01", occurred_on=day, source_of_conflict="boundary_dispute", displaced=40)
    assert_in_step()
    assert table()[("61.71", 2026, 3, "natural_resource_dispute", "occurring", "draft")] == (
        1,
        2,
        3,
        0,
        0,
        5_000_000,
    )

    # edit: month, source and figures move the report to another key
    services.incident_edit(
        incident=a,
        actor=sec_a,
        data={
            "occurred_on": datetime.date(2026, 5, 2),
            "reported_at": datetime.datetime(2026, 5, 3, 9, tzinfo=datetime.UTC),
            "source_of_conflict": "religion_ethnicity",
            "deaths": 4,
        },
    )
    assert_in_step()
    assert ("61.71", 2026, 3, "natural_resource_dispute", "occurring", "draft") not in table()
    assert table()[("61.71", 2026, 5, "religion_ethnicity", "occurring", "draft")][:2] == (1, 4)

    # submit, return, resubmit, verify
    a = services.incident_submit(incident=a, actor=sec_a)
    assert_in_step()
    a = services.incident_return(incident=a, actor=province_sec, note="Lengkapi.")
    assert_in_step()
    a = services.incident_submit(incident=a, actor=sec_a)
    a = services.incident_verify(incident=a, actor=province_sec)
    assert_in_step()
    assert table()[("61.71", 2026, 5, "religion_ethnicity", "occurring", "verified")][:2] == (1, 4)

    # perkembangan: revised figures and stage
    services.incident_add_update(
        incident=a, actor=sec_a, data={"description": "Korban bertambah.", "deaths": 6, "stage": "handled"}
    )
    assert_in_step()
    assert table()[("61.71", 2026, 5, "religion_ethnicity", "handled", "verified")][:2] == (1, 6)

    # closure
    services.incident_close(incident=a, actor=province_sec, resolved_on=datetime.date(2026, 6, 1))
    assert_in_step()
    assert ("61.71", 2026, 5, "religion_ethnicity", "resolved", "closed") in table()

    # deletion of a draft
    services.incident_delete(incident=b, actor=sec_b)
    assert_in_step()
    assert not any(key[0] == "61.01" for key in table())
    assert IncidentRollup.objects.filter(region_id="61.01").count() == 0  # emptied keys are removed


def test_a_refused_change_leaves_the_rollup_alone(late_2026, sec_a, province_sec):
    a = f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 2, 1))
    before = table()
    with pytest.raises(services.TransitionError):
        services.incident_verify(incident=a, actor=province_sec)  # a draft cannot be verified
    with pytest.raises(Exception):  # noqa: B017 (any refusal)
        services.incident_edit(incident=a, actor=sec_a, data={"deaths": -1})
    assert table() == before
    assert_in_step()


def test_only_unsent_drafts_can_be_deleted(late_2026, sec_a, province_sec):
    a = f.advance(
        f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 2, 1)),
        to="returned",
        actor=sec_a,
        reviewer=province_sec,
    )
    with pytest.raises(services.TransitionError):
        services.incident_delete(incident=a, actor=sec_a)
    assert_in_step()


def test_rebuild_rollups_recomputes_a_drifted_table(late_2026, sec_a, province_sec, capsys):
    f.advance(
        f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 4, 1), deaths=1),
        to="verified",
        actor=sec_a,
        reviewer=province_sec,
    )
    f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 4, 9))
    IncidentRollup.objects.update(incidents=99, deaths=0)  # drift
    IncidentRollup.objects.create(
        region_id="61.01", year=2026, month=1, source_of_conflict="x", stage="y", status="z", incidents=3
    )
    call_command("rebuild_rollups")
    assert "2 rows" in capsys.readouterr().out
    assert_in_step()
