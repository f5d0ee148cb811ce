"""Workflow: every legal transition, every illegal one refused; roles; audit; plan copy."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actionplans import services
from actionplans.models import ActionPlan, Realisation
from konflik.models import AuditEvent

from . import factories as f

S = Realisation.Status


def _events(obj, action=None):
    qs = AuditEvent.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)
    return qs.filter(action=action) if action else qs


@pytest.fixture
def draft(sec_a, activity_a):
    return services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=Decimal(8))


def _to(status, realisation, sec, province):
    if status in (S.SUBMITTED, S.ACCEPTED, S.RETURNED):
        services.realisation_submit(actor=sec, realisation=realisation)
    if status == S.ACCEPTED:
        services.realisation_accept(actor=province, realisation=realisation)
    if status == S.RETURNED:
        services.realisation_return(actor=province, realisation=realisation, note="Perbaiki.")
    realisation.refresh_from_db()
    return realisation


def test_legal_path_draft_submit_return_resubmit_accept(sec_a, province_sec, draft):
    r = services.realisation_submit(actor=sec_a, realisation=draft)
    assert (r.status, r.submitted_by, r.on_time) == (S.SUBMITTED, sec_a, False)  # B04 closed on 10 May
    r = services.realisation_return(actor=province_sec, realisation=r, note="Data dukung kurang.")
    assert (r.status, r.review_note, r.reviewed_by) == (S.RETURNED, "Data dukung kurang.", province_sec)
    r = services.realisation_update(actor=sec_a, realisation=r, value=Decimal(10), narrative="Diperbaiki")
    assert r.achievement == Decimal("100.00")
    r = services.realisation_submit(actor=sec_a, realisation=r)
    assert r.status == S.SUBMITTED
    r = services.realisation_accept(actor=province_sec, realisation=r)
    assert (r.status, r.reviewed_by) == (S.ACCEPTED, province_sec)
    actions = list(_events(r).order_by("id").values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "update", "resubmit", "accept"]
    assert _events(r, "return").get().note == "Data dukung kurang."
    assert _events(r, "accept").get().changes["status"] == ["submitted", "accepted"]


def test_admin_may_accept(sec_a, admin_user, draft):
    services.realisation_submit(actor=sec_a, realisation=draft)
    assert services.realisation_accept(actor=admin_user, realisation=draft).status == S.ACCEPTED


@pytest.mark.parametrize(
    "state,step",
    [
        (S.DRAFT, "accept"),
        (S.DRAFT, "return"),
        (S.SUBMITTED, "submit"),
        (S.ACCEPTED, "submit"),
        (S.ACCEPTED, "accept"),
        (S.ACCEPTED, "return"),
        (S.RETURNED, "accept"),
        (S.RETURNED, "return"),
    ],
)
def test_illegal_transitions_are_refused(sec_a, province_sec, draft, state, step):
    r = _to(state, draft, sec_a, province_sec)
    before = _events(r).count()
    with pytest.raises(ValidationError):
        if step == "submit":
            services.realisation_submit(actor=sec_a, realisation=r)
        elif step == "accept":
            services.realisation_accept(actor=province_sec, realisation=r)
        else:
            services.realisation_return(actor=province_sec, realisation=r, note="x")
    r.refresh_from_db()
    assert r.status == state
    assert _events(r).count() == before


@pytest.mark.parametrize("state", [S.SUBMITTED, S.ACCEPTED])
def test_no_editing_after_submission(sec_a, province_sec, draft, state):
    r = _to(state, draft, sec_a, province_sec)
    with pytest.raises(ValidationError):
        services.realisation_update(actor=sec_a, realisation=r, value=Decimal(1))
    with pytest.raises(ValidationError):
        services.evidence_add(actor=sec_a, realisation=r, files=[])
    r.refresh_from_db()
    assert r.value == Decimal(8)


def test_regency_cannot_accept_or_return_its_own(sec_a, draft):
    services.realisation_submit(actor=sec_a, realisation=draft)
    with pytest.raises(PermissionDenied):
        services.realisation_accept(actor=sec_a, realisation=draft)
    with pytest.raises(PermissionDenied):
        services.realisation_return(actor=sec_a, realisation=draft, note="x")
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


@pytest.mark.parametrize("who", ["leadership", "leadership_a", "member_a"])
def test_leadership_and_members_write_nothing(request, sec_a, plan_a, activity_a, draft, who):
    user = request.getfixturevalue(who)
    attempts = [
        lambda: services.plan_create(actor=user, team=plan_a.team, year=2027),
        lambda: services.plan_update(actor=user, plan=plan_a, notes="x"),
        lambda: services.plan_approve(
            actor=user, plan=plan_a, approved_on=datetime.date(2026, 1, 5), approval_reference="x"
        ),
        lambda: services.activity_create(
            actor=user, plan=plan_a, strategy="prevention", sub_type="prevention_peace", title="x"
        ),
        lambda: services.activity_update(actor=user, activity=activity_a, title="x"),
        lambda: services.realisation_update(actor=user, realisation=draft, value=1),
        lambda: services.realisation_submit(actor=user, realisation=draft),
        lambda: services.realisation_accept(actor=user, realisation=draft),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()


def test_another_regency_cannot_write(sec_b, plan_a, activity_a, draft):
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=sec_b, activity=activity_a, title="x")
    with pytest.raises(PermissionDenied):
        services.realisation_submit(actor=sec_b, realisation=draft)
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=sec_b, team=plan_a.team, year=2030)


def test_submit_needs_a_value_and_return_needs_a_note(sec_a, province_sec, activity_a):
    r = services.realisation_create(actor=sec_a, activity=activity_a, period="B04")
    with pytest.raises(ValidationError) as exc:
        services.realisation_submit(actor=sec_a, realisation=r)
    assert "value" in exc.value.message_dict
    r = services.realisation_update(actor=sec_a, realisation=r, value=1)
    services.realisation_submit(actor=sec_a, realisation=r)
    with pytest.raises(ValidationError) as exc:
        services.realisation_return(actor=province_sec, realisation=r, note="   ")
    assert "note" in exc.value.message_dict


def test_one_realisation_per_activity_and_period_and_no_future_period(sec_a, draft, activity_a):
    with pytest.raises(ValidationError):
        services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=1)
    with pytest.raises(ValidationError) as exc:
        services.realisation_create(
            actor=sec_a, activity=activity_a, period="B12", value=1
        )  # starts in September
    assert "period" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.realisation_create(actor=sec_a, activity=activity_a, period="B99", value=1)


def test_negative_values_and_mismatched_subtype_are_refused(sec_a, plan_a, activity_a):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=sec_a, plan=plan_a, strategy="recovery", sub_type="prevention_peace", title="x"
        )
    assert "sub_type" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        f.activity(sec_a, plan_a, targets=(-1, 1, 1))
    assert "target_b04" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=Decimal(-2))


def test_institutions_and_place_must_be_in_the_team_region(sec_a, plan_a):
    foreign = f.institution("61.01", "Polres Sambas")
    with pytest.raises(ValidationError) as exc:
        f.activity(sec_a, plan_a, responsible_institution=foreign)
    assert "responsible_institution" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        f.activity(sec_a, plan_a, related_institutions=[foreign])
    assert "related_institutions" in exc.value.message_dict
    from konflik.models import Region

    with pytest.raises(ValidationError) as exc:
        f.activity(sec_a, plan_a, place=Region.objects.get(code="61.01"))
    assert "place" in exc.value.message_dict


def test_one_plan_per_team_and_year(sec_a, plan_a):
    with pytest.raises(ValidationError):
        f.plan(sec_a, "61.71")


def test_approval_locks_activities_and_needs_date_and_reference(sec_a, plan_a, activity_a):
    with pytest.raises(ValidationError) as exc:
        services.plan_approve(
            actor=sec_a, plan=plan_a, approved_on=datetime.date(2027, 1, 1), approval_reference=""
        )
    assert set(exc.value.message_dict) == {"approved_on", "approval_reference"}
    plan = services.plan_approve(
        actor=sec_a, plan=plan_a, approved_on=datetime.date(2026, 1, 20), approval_reference="SK 1/2026"
    )
    assert plan.status == ActionPlan.Status.APPROVED
    with pytest.raises(ValidationError):
        services.plan_approve(
            actor=sec_a, plan=plan, approved_on=datetime.date(2026, 1, 20), approval_reference="x"
        )
    with pytest.raises(ValidationError):
        services.activity_update(actor=sec_a, activity=activity_a, title="Diubah")
    with pytest.raises(ValidationError):
        f.activity(sec_a, plan)
    # realisations are still reported on an approved plan
    assert services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=1).pk


def test_copy_last_years_plan(sec_a, plan_a):
    inst = f.institution("61.71", "Kesbangpol Kota Pontianak")
    other = f.institution("61.71", "Polresta Pontianak")
    first = f.activity(
        sec_a, plan_a, responsible_institution=inst, related_institutions=[other], budget=Decimal(5_000_000)
    )
    f.activity(sec_a, plan_a, title="Rekonsiliasi", strategy="recovery", sub_type="recovery_reconciliation")
    services.realisation_create(actor=sec_a, activity=first, period="B04", value=3)
    new = services.plan_copy(actor=sec_a, source=plan_a)
    assert (new.year, new.status, new.team_id, new.copied_from_id) == (
        2027,
        "draft",
        plan_a.team_id,
        plan_a.pk,
    )
    copied = list(new.activities.order_by("strategy", "position"))
    assert [a.title for a in copied] == ["Dialog kerukunan", "Rekonsiliasi"]
    assert copied[0].responsible_institution == inst and list(copied[0].related_institutions.all()) == [other]
    assert copied[0].budget == Decimal(5_000_000) and copied[0].target_b04 == Decimal(10)
    assert not Realisation.objects.filter(activity__plan=new).exists()
    assert _events(new, "copy").count() == 1


def test_every_write_is_audited_once(sec_a, plan_a):
    assert _events(plan_a, "create").count() == 1
    a = f.activity(sec_a, plan_a)
    assert _events(a, "create").count() == 1
    services.activity_update(actor=sec_a, activity=a, title="Baru")
    event = _events(a, "update").get()
    assert event.changes["title"] == ["Dialog kerukunan", "Baru"] and event.region_id == "61.71"
    pk = a.pk
    services.activity_delete(actor=sec_a, activity=a)
    assert (
        AuditEvent.objects.filter(object_id=str(pk), action="delete", content_type__model="activity").count()
        == 1
    )


def test_an_approved_plan_reopens_for_revision_with_a_reason(sec_a, sec_b, leadership, plan_a, activity_a):
    realisation = services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=2)
    with pytest.raises(ValidationError):
        services.plan_reopen(actor=sec_a, plan=plan_a, reason="Belum disetujui")  # a draft is not reopened
    services.plan_approve(
        actor=sec_a, plan=plan_a, approved_on=datetime.date(2026, 1, 20), approval_reference="SK 1/2026"
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_reopen(actor=sec_a, plan=plan_a, reason="   ")
    assert "reason" in exc.value.message_dict
    for outsider in (sec_b, leadership):
        with pytest.raises(PermissionDenied):
            services.plan_reopen(actor=outsider, plan=plan_a, reason="Revisi")

    plan = services.plan_reopen(actor=sec_a, plan=plan_a, reason="Revisi target triwulan kedua")
    assert (plan.status, plan.approved_on, plan.approval_reference) == (ActionPlan.Status.DRAFT, None, "")
    # the activities can be changed again, and what was reported stays
    assert services.activity_update(actor=sec_a, activity=activity_a, title="Dialog diperluas").title
    assert Realisation.objects.get(pk=realisation.pk).value == 2
    event = AuditEvent.objects.filter(action="reopen").get()
    assert event.note == "Revisi target triwulan kedua" and event.actor_id == sec_a.pk
    assert event.changes["approval_reference"] == ["SK 1/2026", ""]
    # and it is approved again like any draft
    again = services.plan_approve(
        actor=sec_a, plan=plan, approved_on=datetime.date(2026, 6, 2), approval_reference="SK 7/2026"
    )
    assert again.status == ActionPlan.Status.APPROVED
