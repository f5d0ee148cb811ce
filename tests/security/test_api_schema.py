"""What Schemathesis found in the API schema and the API's error answers (regressions; the live fuzz run
is test_schemathesis_live.py)."""

import functools

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@functools.cache
def _schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def schema():
    return _schema()


def test_nullable_references_are_documented_as_nullable(schema):
    components = schema["components"]["schemas"]
    for component, field in [
        ("Incident", "verified_by"),
        ("Realisation", "reviewed_by"),
        ("Realisation", "submitted_by"),
        ("IncidentAttachment", "update"),
    ]:
        assert components[component]["properties"][field].get("nullable") is True, (component, field)


def test_unpaginated_incident_sublists_are_documented_as_lists(schema):
    for path in (
        "/api/incidents/{id}/history/",
        "/api/incidents/{id}/updates/",
        "/api/incidents/{id}/attachments/",
    ):
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", path


def test_a_cancelled_meeting_matches_the_schema(schema, api, sec_a):
    from teams.tests.factories import MeetingFactory, TeamFactory

    assert "cancelled" in schema["components"]["schemas"]["MeetingStatusEnum"]["enum"]
    meeting = MeetingFactory(team=TeamFactory(region_id="61.71"))
    client = api(sec_a)
    assert (
        client.patch(f"/api/meetings/{meeting.pk}/", {"status": "cancelled"}, format="json").status_code
        == 400
    )
    assert (
        client.post(f"/api/meetings/{meeting.pk}/cancel/", {}, format="json").json()["status"] == "cancelled"
    )


def test_member_patch_answers_every_documented_field(world_member, api, sec_a, schema):
    required = set(schema["components"]["schemas"]["Member"]["required"])
    body = api(sec_a).patch(f"/api/members/{world_member.pk}/", {"office": "Kabid"}, format="json").json()
    assert required <= set(body) and body["institution_name"] == ""


@pytest.fixture
def world_member(db):
    from teams.tests.factories import MemberFactory, TeamFactory

    return MemberFactory(team=TeamFactory(region_id="61.71"), institution=None)


def test_errors_are_documented_in_every_format_the_view_renders(schema):
    errors = schema["paths"]["/api/schema/"]["get"]["responses"]["404"]["content"]
    assert "application/vnd.oai.openapi" in errors and "application/json" in errors


def test_created_answers_are_documented_as_201(schema):
    for path in ("/api/incidents/{id}/updates/", "/api/incidents/{id}/attachments/"):
        assert "201" in schema["paths"][path]["post"]["responses"], path


def test_error_answers_are_documented(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)


def test_unknown_api_path_answers_json(api, sec_a, web):
    for response in (api(sec_a).get("/api/members/%00/"), api().get("/api/tidak-ada/")):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]
    page = web(sec_a).get("/tidak-ada/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


def test_token_lockout_answers_json(api, sec_a, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = api()
    answers = [
        client.post("/api/auth/token/", {"username": "sek-a", "password": "salah-sekali"}, format="json")
        for _ in range(3)
    ]
    assert [r.status_code for r in answers] == [400, 429, 429]
    assert answers[-1]["Content-Type"] == "application/json" and answers[-1].json()["detail"]
