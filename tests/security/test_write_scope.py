"""Write-scope attacks, field-level protection and audit completeness (security.md, ASVS 8.2.3, 16.4.2).

As the secretariat of regency A: creating in regency B, moving A's objects to B, pointing A's foreign
keys at B's objects, on every writable endpoint and the main forms, is refused and leaves every table as
it was. Mass-assigned `status`, `verified_by`, `created_by`, reviewer and numbering fields are ignored or
refused. Every mutating API call that succeeds writes exactly one audit event, with its actor and the
changed values.
"""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from incidents.tests.conftest import payload
from konflik.models import AuditEvent

from .world import build_world

pytestmark = pytest.mark.django_db

SCOPED_APPS = ("teams", "actionplans", "incidents")


def snapshot():
    """Every row of every model of the apps, with every field: what 'unchanged' means."""
    rows = {}
    for app in SCOPED_APPS:
        for model in apps.get_app_config(app).get_models():
            rows[model._meta.label] = list(model.objects.order_by("pk").values())
    rows["audit"] = AuditEvent.objects.count()
    return rows


@pytest.fixture
def world(sec_a, sec_b, province_sec, member_a):
    return build_world({"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a})


def soon(days=10, hours=0):
    return (timezone.now() + datetime.timedelta(days=days, hours=hours)).isoformat()


def attacks(a, b, sec_b):
    today = timezone.localdate()
    pos = a.member.position_id
    create_in_b = [
        ("post", "/api/teams/", {"region": "61.02", "name": "Tim lain"}),
        ("post", "/api/institutions/", {"region": b.region, "name": "Polres lain", "kind": "opd"}),
        ("post", "/api/members/", {"team": b.team.pk, "name": "X", "office": "Y", "position": pos}),
        (
            "post",
            "/api/meetings/",
            {"team": b.team.pk, "title": "X", "kind": "limited", "start": soon(), "end": soon(hours=2)},
        ),
        (
            "post",
            "/api/follow-ups/",
            {"meeting": b.meeting.pk, "owner": b.member.pk, "description": "X", "due_date": str(today)},
        ),
        ("post", "/api/action-plans/", {"team": b.team.pk, "year": today.year + 1}),
        (
            "post",
            "/api/activities/",
            {
                "plan": b.plan.pk,
                "strategy": "prevention",
                "sub_type": "prevention_peace",
                "title": "X",
                "indicator": "Y",
                "unit": "kegiatan",
            },
        ),
        ("post", "/api/realisations/", {"activity": b.activity.pk, "period": "B08", "value": "1"}),
        ("post", "/api/incidents/", payload(region=b.region, latitude="1.360000", longitude="109.300000")),
        (
            "post",
            "/api/conflict-potentials/",
            {
                "region": b.region,
                "title": "X",
                "source_of_conflict": "boundary_dispute",
                "likelihood": 2,
                "impact": 2,
            },
        ),
        (
            "post",
            "/api/conflict-statuses/",
            {
                "scale": "regency",
                "region": b.region,
                "decree_number": "1",
                "decree_date": str(today),
                "declared_by": "X",
                "start_date": str(today),
                "end_date": str(today + datetime.timedelta(days=30)),
            },
        ),
        ("post", f"/api/teams/{b.team.pk}/decrees/", {"number": "X", "date": str(today)}),
    ]
    move_to_b = [
        ("patch", f"/api/teams/{a.team.pk}/", {"region": b.region}),
        ("patch", f"/api/institutions/{a.institution.pk}/", {"region": b.region}),
        ("patch", f"/api/members/{a.member.pk}/", {"team": b.team.pk}),
        ("patch", f"/api/meetings/{a.meeting.pk}/", {"team": b.team.pk}),
        ("patch", f"/api/follow-ups/{a.follow_up.pk}/", {"meeting": b.meeting.pk}),
        ("patch", f"/api/action-plans/{a.plan.pk}/", {"team": b.team.pk}),
        ("patch", f"/api/activities/{a.activity.pk}/", {"plan": b.plan.pk}),
        ("patch", f"/api/realisations/{a.realisation.pk}/", {"activity": b.activity.pk}),
        ("patch", f"/api/incidents/{a.incident.pk}/", {"region": b.region}),
        ("patch", f"/api/conflict-potentials/{a.potential.pk}/", {"region": b.region}),
        ("patch", f"/api/conflict-statuses/{a.status.pk}/", {"region": b.region}),
    ]
    point_at_b = [
        ("patch", f"/api/members/{a.member.pk}/", {"institution": b.institution.pk}),
        ("patch", f"/api/members/{a.member.pk}/", {"user": sec_b.pk}),
        ("patch", f"/api/meetings/{a.meeting.pk}/", {"invited_members": [b.member.pk]}),
        ("patch", f"/api/meetings/{a.meeting.pk}/", {"invited_institutions": [b.institution.pk]}),
        ("patch", f"/api/follow-ups/{a.follow_up.pk}/", {"owner": b.member.pk}),
        ("patch", f"/api/activities/{a.activity.pk}/", {"responsible_institution": b.institution.pk}),
        ("patch", f"/api/activities/{a.activity.pk}/", {"related_institutions": [b.institution.pk]}),
        ("patch", f"/api/activities/{a.activity.pk}/", {"place": b.region}),
        ("patch", f"/api/incidents/{a.incident.pk}/", {"district": "61.01.01"}),
        ("patch", f"/api/conflict-statuses/{a.status.pk}/", {"incidents": [b.incident.pk]}),
        (
            "post",
            "/api/members/",
            {"team": a.team.pk, "name": "X", "office": "Y", "position": pos, "institution": b.institution.pk},
        ),
        (
            "post",
            "/api/follow-ups/",
            {"meeting": a.meeting.pk, "owner": b.member.pk, "description": "X", "due_date": str(today)},
        ),
        ("post", "/api/incidents/", payload(region=a.region, district="61.01.01")),
    ]
    return create_in_b + move_to_b + point_at_b


def test_writes_into_another_regency_are_refused_and_change_nothing(world, sec_a, sec_b, api):
    client = api(sec_a)
    accepted = []
    for method, url, body in attacks(world["A"], world["B"], sec_b):
        before = snapshot()
        response = getattr(client, method)(url, body, format="json")
        # refused, or (a create-only field on update) ignored: either way nothing may change
        if response.status_code not in (200, 400, 403, 404) or snapshot() != before:
            accepted.append(f"{method.upper()} {url} {body} -> {response.status_code}")
    assert not accepted, "\n".join(accepted)


def test_forms_refuse_another_regency(world, sec_a, web):
    b = world["B"]
    browser = web(sec_a)
    form = payload(region=b.region)
    form.pop("parties")
    before = snapshot()
    for url, data in [
        ("/kejadian/baru/", form),
        (
            "/kejadian/potensi/baru/",
            {
                "region": b.region,
                "title": "X",
                "source_of_conflict": "boundary_dispute",
                "likelihood": 2,
                "impact": 2,
            },
        ),
        ("/tim/rapat/baru/", {"team": b.team.pk, "title": "X", "kind": "limited"}),
        ("/tim/instansi/baru/", {"region": b.region, "name": "X", "kind": "opd"}),
        ("/rencana-aksi/baru/", {"team": b.team.pk, "year": timezone.localdate().year + 1}),
        (f"/kejadian/{world['A'].incident.pk}/ubah/", {**form, "region": b.region}),
    ]:
        response = browser.post(url, data)
        assert response.status_code in (200, 400, 403, 404), (url, response.status_code)
    assert snapshot() == before


def test_protected_fields_are_not_client_writable(world, sec_a, province_sec, api):
    from actionplans.models import ActionPlan, Realisation
    from incidents.models import ConflictPotential, Incident

    a = world["A"]
    client = api(sec_a)
    now = timezone.now().isoformat()
    forged = {
        "status": "verified",
        "verified_by": province_sec.pk,
        "verified_at": now,
        "created_by": province_sec.pk,
        "submitted_at": now,
        "number": "61.71/1999/9999",
        "year": 1999,
        "sequence": 9999,
        "search_text": "x",
    }
    created = client.post("/api/incidents/", {**payload(), **forged}, format="json")
    assert created.status_code in (201, 400)
    if created.status_code == 201:
        report = Incident.objects.get(pk=created.json()["id"])
        assert (report.status, report.verified_by, report.verified_at, report.submitted_at) == (
            "draft",
            None,
            None,
            None,
        )
        assert report.created_by == sec_a and report.year == timezone.localdate().year
        assert not report.number.startswith("61.71/1999")
    rows = [
        (Incident, a.incident.pk, f"/api/incidents/{a.incident.pk}/", forged),
        (
            Realisation,
            a.realisation.pk,
            f"/api/realisations/{a.realisation.pk}/",
            {
                "status": "accepted",
                "reviewed_by": province_sec.pk,
                "reviewed_at": now,
                "on_time": True,
                "achievement": "999.00",
                "submitted_at": now,
                "submitted_by": province_sec.pk,
            },
        ),
        (
            ActionPlan,
            a.plan.pk,
            f"/api/action-plans/{a.plan.pk}/",
            {"status": "approved", "approved_on": str(timezone.localdate()), "approval_reference": "X"},
        ),
        (
            ConflictPotential,
            a.potential.pk,
            f"/api/conflict-potentials/{a.potential.pk}/",
            {"risk_level": "very_high", "created_by": sec_a.pk},
        ),
    ]
    for model, pk, url, body in rows:
        protected = [
            name
            for name in body
            if name in {f.attname.removesuffix("_id") for f in model._meta.fields}
            or name in {f.attname for f in model._meta.fields}
        ]
        before = model.objects.filter(pk=pk).values(*[_attname(model, n) for n in protected]).get()
        response = client.patch(url, body, format="json")
        assert response.status_code in (200, 400), (url, response.status_code)
        after = model.objects.filter(pk=pk).values(*[_attname(model, n) for n in protected]).get()
        assert after == before, (url, before, after)
    # region is fixed after creation, for the province too
    response = api(province_sec).patch(f"/api/incidents/{a.incident.pk}/", {"region": "61.01"}, format="json")
    assert response.status_code in (200, 400)
    assert Incident.objects.get(pk=a.incident.pk).region_id == "61.71"


def _attname(model, name):
    field = next((f for f in model._meta.fields if name in (f.name, f.attname)), None)
    return field.attname


# --- audit completeness ----------------------------------------------------------------------------------


def test_every_mutating_call_writes_exactly_one_audit_event(world, sec_a, province_sec, api):
    a = world["A"]
    sec, prov = api(sec_a), api(province_sec)
    today = timezone.localdate()
    state = {}

    def created(key):
        return lambda response: state.__setitem__(key, response.json()["id"])

    steps = [
        # incidents: the whole workflow
        (sec, "post", "/api/incidents/", payload(), created("incident")),
        (sec, "patch", "/api/incidents/{incident}/", {"title": "Judul baru laporan"}, None),
        (sec, "post", "/api/incidents/{incident}/submit/", {}, None),
        (prov, "post", "/api/incidents/{incident}/return/", {"note": "Lengkapi kronologi."}, None),
        (sec, "patch", "/api/incidents/{incident}/", {"chronology": "Kronologi lengkap."}, None),
        (sec, "post", "/api/incidents/{incident}/submit/", {}, None),
        (prov, "post", "/api/incidents/{incident}/verify/", {}, None),
        (
            sec,
            "post",
            "/api/incidents/{incident}/updates/",
            {"occurred_on": str(today), "description": "Situasi kondusif."},
            None,
        ),
        (
            prov,
            "post",
            "/api/incidents/{incident}/close/",
            {"resolved_on": str(today), "note": "Damai."},
            None,
        ),
        (
            sec,
            "post",
            "/api/conflict-potentials/",
            {
                "region": "61.71",
                "title": "Potensi",
                "description": "Klaim lahan.",
                "source_of_conflict": "boundary_dispute",
                "likelihood": 2,
                "impact": 2,
            },
            created("potential"),
        ),
        (sec, "patch", "/api/conflict-potentials/{potential}/", {"likelihood": 3}, None),
        (
            sec,
            "post",
            "/api/conflict-statuses/",
            {
                "scale": "regency",
                "region": "61.71",
                "decree_number": "188/1",
                "decree_date": str(today),
                "declared_by": "Wali Kota",
                "start_date": str(today),
                "end_date": str(today + datetime.timedelta(days=30)),
            },
            created("status"),
        ),
        (sec, "patch", "/api/conflict-statuses/{status}/", {"notes": "Catatan"}, None),
        (
            sec,
            "post",
            "/api/conflict-statuses/{status}/extend/",
            {"decree_number": "188/2", "decree_date": str(today)},
            None,
        ),
        (sec, "post", "/api/conflict-statuses/{status}/revoke/", {"revoked_on": str(today)}, None),
        # teams
        (sec, "patch", f"/api/teams/{a.team.pk}/", {"secretariat_unit": "Badan Kesbangpol"}, None),
        (
            sec,
            "post",
            "/api/institutions/",
            {"region": "61.71", "name": "Kodim", "kind": "opd"},
            created("institution"),
        ),
        (sec, "patch", "/api/institutions/{institution}/", {"name": "Kodim 1207"}, None),
        (
            sec,
            "post",
            "/api/members/",
            {"team": a.team.pk, "name": "Budi", "office": "Dandim", "position": a.member.position_id},
            created("member"),
        ),
        (sec, "patch", "/api/members/{member}/", {"office": "Komandan Kodim"}, None),
        (sec, "delete", "/api/members/{member}/", None, None),
        (
            sec,
            "post",
            "/api/meetings/",
            {
                "team": a.team.pk,
                "title": "Rakor",
                "kind": "limited",
                "start": soon(),
                "end": soon(hours=2),
                "invited_members": [a.member.pk],
            },
            created("meeting"),
        ),
        (sec, "patch", "/api/meetings/{meeting}/", {"agenda": "Agenda baru"}, None),
        (
            sec,
            "post",
            "/api/follow-ups/",
            {"meeting": a.meeting.pk, "owner": a.member.pk, "description": "Tindak", "due_date": str(today)},
            created("follow_up"),
        ),
        (sec, "patch", "/api/follow-ups/{follow_up}/", {"status": "done"}, None),
        (sec, "post", "/api/meetings/{meeting}/cancel/", {"note": "Batal"}, None),
        # action plans
        (sec, "patch", f"/api/action-plans/{a.plan.pk}/", {"notes": "Catatan baru"}, None),
        (
            sec,
            "post",
            "/api/activities/",
            {
                "plan": a.plan.pk,
                "strategy": "recovery",
                "sub_type": "recovery_reconciliation",
                "title": "Rekonsiliasi",
                "indicator": "Terlaksana",
                "unit": "kegiatan",
            },
            created("activity"),
        ),
        (sec, "patch", "/api/activities/{activity}/", {"title": "Rekonsiliasi warga"}, None),
        (sec, "delete", "/api/activities/{activity}/", None, None),
        (sec, "patch", f"/api/realisations/{a.realisation.pk}/", {"narrative": "Narasi baru"}, None),
        (sec, "post", f"/api/realisations/{a.realisation.pk}/submit/", {}, None),
        (prov, "post", f"/api/realisations/{a.realisation.pk}/return/", {"note": "Lengkapi bukti."}, None),
        (sec, "post", f"/api/realisations/{a.realisation.pk}/submit/", {}, None),
        (prov, "post", f"/api/realisations/{a.realisation.pk}/accept/", {}, None),
        (
            sec,
            "post",
            f"/api/action-plans/{a.plan.pk}/approve/",
            {"approved_on": str(today), "approval_reference": "SK 1"},
            None,
        ),
        (sec, "post", f"/api/action-plans/{a.plan.pk}/copy/", {"year": today.year + 1}, created("copy")),
        (sec, "delete", "/api/action-plans/{copy}/", None, None),
    ]
    wrong = []
    for client, method, url, body, after in steps:
        url = url.format(**state)
        before = AuditEvent.objects.order_by("pk").last()
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code in (200, 201, 204), (method, url, response.status_code, response.content)
        if after:
            after(response)
        events = list(AuditEvent.objects.filter(pk__gt=before.pk if before else 0))
        actor = client.handler._force_user
        if len(events) != 1:
            wrong.append(f"{method.upper()} {url}: {len(events)} events {[e.action for e in events]}")
            continue
        event = events[0]
        if event.actor_id != actor.pk or not event.changes or not event.request_id:
            wrong.append(f"{method.upper()} {url}: actor={event.actor_id} changes={event.changes!r}")
    assert not wrong, "\n".join(wrong)
