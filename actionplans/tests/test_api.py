"""The API: scope, roles, field-level protection, 400s with field errors, filters, query counts."""

from decimal import Decimal

import pytest

from actionplans import services
from actionplans.models import ActionPlan, Activity, Realisation
from konflik.models import AuditEvent

from . import factories as f


@pytest.fixture
def submitted_a(sec_a, activity_a):
    r = services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=5)
    return services.realisation_submit(actor=sec_a, realisation=r)


@pytest.fixture
def realisation_b(sec_b, activity_b):
    return services.realisation_create(actor=sec_b, activity=activity_b, period="B04", value=5)


def test_lists_are_scoped(
    api, sec_a, province_sec, leadership_a, member_a, plan_a, plan_b, submitted_a, realisation_b
):
    for url in ("/api/action-plans/", "/api/activities/", "/api/realisations/"):
        assert api(sec_a).get(url).json()["count"] == 1, url
        assert api(leadership_a).get(url).json()["count"] == 1, url
        assert api(province_sec).get(url).json()["count"] == 2, url
        assert api(member_a).get(url).json()["count"] == 0, url
        assert api().get(url).status_code in (401, 403)
    # a filter cannot widen the scope
    assert api(sec_a).get("/api/action-plans/?region=61.01").json()["count"] == 0
    assert api(sec_a).get(f"/api/realisations/?team={plan_b.team_id}").json()["count"] == 0


def test_other_regions_objects_are_404(api, sec_a, plan_b, activity_b, realisation_b):
    client = api(sec_a)
    assert client.get(f"/api/action-plans/{plan_b.pk}/").status_code == 404
    assert client.get(f"/api/activities/{activity_b.pk}/").status_code == 404
    assert client.get(f"/api/realisations/{realisation_b.pk}/").status_code == 404
    assert (
        client.patch(f"/api/realisations/{realisation_b.pk}/", {"value": 1}, format="json").status_code == 404
    )
    assert client.post(f"/api/realisations/{realisation_b.pk}/submit/").status_code == 404


def test_create_plan_activity_realisation_and_workflow(api, sec_a, province_sec, mid_year):
    team = f.team_for("61.71")
    client = api(sec_a)
    plan = client.post("/api/action-plans/", {"team": team.pk, "year": 2026}, format="json")
    assert plan.status_code == 201, plan.json()
    assert plan.json()["region"] == "61.71" and plan.json()["status"] == "draft"
    inst = f.institution("61.71", "Kesbangpol Pontianak")
    body = {
        "plan": plan.json()["id"],
        "strategy": "prevention",
        "sub_type": "prevention_early_warning",
        "title": "Pemetaan potensi konflik",
        "target_b04": "4",
        "target_b08": "4",
        "responsible_institution": inst.pk,
        "related_institutions": [inst.pk],
        "budget": "25000000",
        "funding_source": "apbd",
        "place": "61.71",
        "is_national": True,
    }
    activity = client.post("/api/activities/", body, format="json")
    assert activity.status_code == 201, activity.json()
    assert activity.json()["place"] == "61.71" and activity.json()["position"] == 1
    r = client.post(
        "/api/realisations/",
        {"activity": activity.json()["id"], "period": "B04", "value": "3"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["achievement"] == "75.00" and r.json()["status"] == "draft"
    rid = r.json()["id"]
    assert client.post(f"/api/realisations/{rid}/submit/").json()["status"] == "submitted"
    assert client.post(f"/api/realisations/{rid}/accept/").status_code == 403  # not its own
    returned = api(province_sec).post(
        f"/api/realisations/{rid}/return/", {"note": "Tambah foto"}, format="json"
    )
    assert returned.json()["status"] == "returned" and returned.json()["review_note"] == "Tambah foto"
    assert (
        client.patch(f"/api/realisations/{rid}/", {"value": "4"}, format="json").json()["achievement"]
        == "100.00"
    )
    assert client.post(f"/api/realisations/{rid}/submit/").json()["status"] == "submitted"
    accepted = api(province_sec).post(f"/api/realisations/{rid}/accept/")
    assert accepted.json()["status"] == "accepted" and accepted.json()["on_time"] is False


def test_protected_fields_are_not_client_writable(
    api, sec_a, province_sec, plan_a, plan_b, activity_a, submitted_a
):
    client = api(sec_a)
    # moving a plan to another team or year is refused outright (nothing is half-applied) ...
    for body in ({"team": plan_b.team_id, "notes": "x"}, {"year": 2030, "notes": "x"}):
        r = client.patch(f"/api/action-plans/{plan_a.pk}/", body, format="json")
        assert r.status_code == 400 and set(body) - {"notes"} <= set(r.json())
    # ... and a status in the body is ignored
    r = client.patch(
        f"/api/action-plans/{plan_a.pk}/",
        {"team": plan_a.team_id, "year": 2026, "status": "approved", "notes": "catatan"},
        format="json",
    )
    assert r.status_code == 200
    plan_a.refresh_from_db()
    assert (plan_a.team_id, plan_a.year, plan_a.status, plan_a.notes) != (
        plan_b.team_id,
        2030,
        "approved",
        None,
    )
    assert (plan_a.year, plan_a.status, plan_a.notes) == (2026, "draft", "catatan")
    r = client.patch(f"/api/activities/{activity_a.pk}/", {"plan": plan_b.pk, "title": "Baru"}, format="json")
    assert r.status_code == 400
    r = client.patch(f"/api/activities/{activity_a.pk}/", {"title": "Baru"}, format="json")
    assert r.status_code == 200
    activity_a.refresh_from_db()
    assert (activity_a.plan_id, activity_a.title) == (plan_a.pk, "Baru")
    # a returned realisation: status, reviewer fields and period are not writable
    services.realisation_return(actor=province_sec, realisation=submitted_a, note="x")
    r = client.patch(
        f"/api/realisations/{submitted_a.pk}/",
        {
            "status": "accepted",
            "reviewed_by": sec_a.pk,
            "review_note": "",
            "on_time": True,
            "achievement": "100",
        },
        format="json",
    )
    assert r.status_code == 200
    period = client.patch(f"/api/realisations/{submitted_a.pk}/", {"period": "B08"}, format="json")
    assert period.status_code == 400
    submitted_a.refresh_from_db()
    assert (
        submitted_a.status,
        submitted_a.reviewed_by,
        submitted_a.review_note,
        submitted_a.on_time,
        submitted_a.period,
    ) == (
        "returned",
        province_sec,
        "x",
        False,
        "B04",
    )


def test_foreign_keys_to_another_region_are_refused(api, sec_a, plan_a, plan_b, activity_b):
    client = api(sec_a)
    assert (
        client.post("/api/action-plans/", {"team": plan_b.team_id, "year": 2027}, format="json").status_code
        == 400
    )
    assert (
        client.post(
            "/api/activities/",
            {"plan": plan_b.pk, "strategy": "prevention", "sub_type": "prevention_peace", "title": "x"},
            format="json",
        ).status_code
        == 400
    )
    foreign = f.institution("61.01", "Polres Sambas")
    body = {"plan": plan_a.pk, "strategy": "prevention", "sub_type": "prevention_peace", "title": "x"}
    assert (
        client.post(
            "/api/activities/", {**body, "responsible_institution": foreign.pk}, format="json"
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/api/activities/", {**body, "related_institutions": [foreign.pk]}, format="json"
        ).status_code
        == 400
    )
    assert client.post("/api/activities/", {**body, "place": "61.01"}, format="json").status_code == 400
    assert (
        client.post(
            "/api/realisations/", {"activity": activity_b.pk, "period": "B04"}, format="json"
        ).status_code
        == 400
    )
    assert Activity.objects.filter(plan=plan_a).count() == 0 and ActionPlan.objects.count() == 2


@pytest.mark.parametrize(
    "body,field",
    [
        ({"strategy": "nope"}, "strategy"),
        ({"sub_type": "recovery_reconciliation"}, "sub_type"),
        ({"target_b04": "-1"}, "target_b04"),
        ({"target_b04": "abc"}, "target_b04"),
        ({"budget": "1e30"}, "budget"),
        ({"funding_source": "hibah"}, "funding_source"),
        ({"title": ""}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"place": "99.99"}, "place"),
    ],
)
def test_bad_activity_input_is_400_with_field_errors(api, sec_a, plan_a, body, field):
    base = {"plan": plan_a.pk, "strategy": "prevention", "sub_type": "prevention_peace", "title": "Dialog"}
    response = api(sec_a).post("/api/activities/", {**base, **body}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_bad_realisation_input_and_illegal_steps_are_400(api, sec_a, province_sec, activity_a, submitted_a):
    client = api(sec_a)
    assert (
        "period"
        in client.post(
            "/api/realisations/", {"activity": activity_a.pk, "period": "B05"}, format="json"
        ).json()
    )
    dup = client.post("/api/realisations/", {"activity": activity_a.pk, "period": "B04"}, format="json")
    assert dup.status_code == 400
    assert (
        client.patch(f"/api/realisations/{submitted_a.pk}/", {"value": "1"}, format="json").status_code == 400
    )
    assert client.post(f"/api/realisations/{submitted_a.pk}/submit/").status_code == 400
    assert (
        api(province_sec).post(f"/api/realisations/{submitted_a.pk}/return/", {}, format="json").status_code
        == 400
    )
    assert (
        api(province_sec)
        .post(f"/api/realisations/{submitted_a.pk}/return/", {"note": " "}, format="json")
        .status_code
        == 400
    )


def test_leadership_writes_nothing(api, leadership, plan_a, activity_a, submitted_a):
    client = api(leadership)
    before = AuditEvent.objects.count()
    calls = [
        client.post("/api/action-plans/", {"team": plan_a.team_id, "year": 2027}, format="json"),
        client.patch(f"/api/action-plans/{plan_a.pk}/", {"notes": "x"}, format="json"),
        client.delete(f"/api/action-plans/{plan_a.pk}/"),
        client.post(
            f"/api/action-plans/{plan_a.pk}/approve/",
            {"approved_on": "2026-01-02", "approval_reference": "x"},
            format="json",
        ),
        client.post(f"/api/action-plans/{plan_a.pk}/copy/", {}, format="json"),
        client.patch(f"/api/activities/{activity_a.pk}/", {"title": "x"}, format="json"),
        client.delete(f"/api/activities/{activity_a.pk}/"),
        client.post(f"/api/realisations/{submitted_a.pk}/accept/"),
        client.post(f"/api/realisations/{submitted_a.pk}/return/", {"note": "x"}, format="json"),
        client.post(f"/api/realisations/{submitted_a.pk}/submit/"),
    ]
    assert [c.status_code for c in calls] == [403] * len(calls)
    assert AuditEvent.objects.count() == before
    assert client.get(f"/api/realisations/{submitted_a.pk}/").status_code == 200


def test_plan_approve_and_copy_actions(api, sec_a, plan_a, activity_a):
    client = api(sec_a)
    bad = client.post(
        f"/api/action-plans/{plan_a.pk}/approve/",
        {"approved_on": "2099-01-01", "approval_reference": "x"},
        format="json",
    )
    assert bad.status_code == 400 and "approved_on" in bad.json()
    ok = client.post(
        f"/api/action-plans/{plan_a.pk}/approve/",
        {"approved_on": "2026-01-10", "approval_reference": "SK 5"},
        format="json",
    )
    assert ok.json()["status"] == "approved"
    copy = client.post(f"/api/action-plans/{plan_a.pk}/copy/", {}, format="json")
    assert copy.status_code == 201 and copy.json()["year"] == 2027
    assert client.get(f"/api/activities/?plan={copy.json()['id']}").json()["count"] == 1
    assert (
        client.post(f"/api/action-plans/{plan_a.pk}/copy/", {}, format="json").status_code == 400
    )  # 2027 exists


@pytest.mark.parametrize(
    "url,expected",
    [
        ("/api/action-plans/?year=2026", 2),
        ("/api/action-plans/?year=2025", 0),
        ("/api/action-plans/?status=draft", 2),
        ("/api/action-plans/?region=61.71", 1),
        ("/api/activities/?strategy=stopping", 1),
        ("/api/activities/?strategy=prevention", 1),
        ("/api/activities/?region=61.01", 1),
        ("/api/activities/?year=2026", 2),
        ("/api/activities/?period=B04", 2),
        ("/api/realisations/?period=B04", 2),
        ("/api/realisations/?period=B08", 0),
        ("/api/realisations/?status=submitted", 1),
        ("/api/realisations/?status=draft", 1),
        ("/api/realisations/?strategy=stopping", 1),
        ("/api/realisations/?region=61.71", 1),
        ("/api/realisations/?year=2026", 2),
    ],
)
def test_filters(api, province_sec, submitted_a, realisation_b, url, expected):
    assert api(province_sec).get(url).json()["count"] == expected


def test_team_filter(api, province_sec, plan_a, submitted_a, realisation_b):
    for url in ("/api/action-plans/", "/api/activities/", "/api/realisations/"):
        assert api(province_sec).get(f"{url}?team={plan_a.team_id}").json()["count"] == 1


@pytest.mark.parametrize("url", ["/api/action-plans/", "/api/activities/", "/api/realisations/"])
def test_list_query_counts_do_not_grow(
    api, province_sec, sec_a, mid_year, django_assert_max_num_queries, url
):
    def grow(n):
        for i in range(n):
            plan = f.plan(sec_a, "61.71", year=2000 + len(ActionPlan.objects.all()))
            inst = f.institution("61.71", f"Instansi {plan.year}-{i}")
            a = f.activity(sec_a, plan, responsible_institution=inst, related_institutions=[inst])
            services.realisation_create(actor=sec_a, activity=a, period="B04", value=Decimal(1))

    client = api(province_sec)
    grow(2)
    # auth/session are forced; count (1) + page (1) + prefetches (related institutions or evidence: 1)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    grow(6)
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200


def test_evidence_upload_through_the_api(api, sec_a, activity_a):
    r = services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=5)
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = api(sec_a).post(f"/api/realisations/{r.pk}/evidence/", {"files": [pdf]}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["evidence"][0]["original_name"] == "laporan.pdf"
    html = SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    bad = api(sec_a).post(f"/api/realisations/{r.pk}/evidence/", {"files": [html]}, format="multipart")
    assert bad.status_code == 400
    assert Realisation.objects.get(pk=r.pk).evidence.count() == 1


def test_the_reopen_action_takes_an_approved_plan_back_to_draft(api, web, sec_a, leadership, plan_a):
    client = api(sec_a)
    client.post(
        f"/api/action-plans/{plan_a.pk}/approve/",
        {"approved_on": "2026-01-10", "approval_reference": "SK 5"},
        format="json",
    )
    assert client.post(f"/api/action-plans/{plan_a.pk}/reopen/", {}, format="json").status_code == 400
    assert (
        api(leadership)
        .post(f"/api/action-plans/{plan_a.pk}/reopen/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    answer = client.post(f"/api/action-plans/{plan_a.pk}/reopen/", {"reason": "Revisi"}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "draft"
    again = client.post(f"/api/action-plans/{plan_a.pk}/reopen/", {"reason": "Revisi"}, format="json")
    assert again.status_code == 400  # already a draft

    # the page offers it on an approved plan and says what happened, in Indonesian
    client.post(
        f"/api/action-plans/{plan_a.pk}/approve/",
        {"approved_on": "2026-01-10", "approval_reference": "SK 6"},
        format="json",
    )
    browser = web(sec_a)
    assert "Buka kembali untuk revisi" in browser.get(f"/rencana-aksi/{plan_a.pk}/").content.decode()
    empty = browser.post(f"/rencana-aksi/{plan_a.pk}/buka-kembali/", {"reason": ""}, follow=True)
    assert 'data-plan-status="approved"' in empty.content.decode()  # refused: a reason is required
    assert 'class="msg-error"' in empty.content.decode()
    done = browser.post(f"/rencana-aksi/{plan_a.pk}/buka-kembali/", {"reason": "Revisi"}, follow=True)
    assert "dibuka kembali sebagai draf" in done.content.decode()
    assert 'data-plan-status="draft"' in done.content.decode()
