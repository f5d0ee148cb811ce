"""Rate limits on login (test_auth_and_headers), searches and exports (ASVS 2.4.1), HTML and API."""

import pytest
from django.urls import reverse

from incidents.tests.factories import IncidentFactory

pytestmark = pytest.mark.django_db

HTML_LISTS = [
    "regions:list",
    "notifications:list",
    "teams:team_list",
    "teams:member_list",
    "teams:institution_list",
    "teams:meeting_list",
    "teams:followup_list",
    "actionplans:list",
    "actionplans:realisations",
    "incidents:list",
    "incidents:potential_list",
    "incidents:status_list",
    "dashboard:reports",
]
API_LISTS = [
    "region-list",
    "notification-list",
    "team-list",
    "institution-list",
    "member-list",
    "meeting-list",
    "follow-up-list",
    "action-plan-list",
    "activity-list",
    "realisation-list",
    "incident-list",
    "conflict-potential-list",
    "conflict-status-list",
    "period-report-list",
]


@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"search": "3/min", "export": "2/min", "token": "10/min"},
    }


def codes(client, url, n):
    return [client.get(url).status_code for _ in range(n)]


@pytest.mark.parametrize("name", HTML_LISTS)
def test_html_search_is_rate_limited_per_user(name, web, sec_a, sec_b, low_rates):
    url = reverse(name)
    browser = web(sec_a)
    assert codes(browser, url, 5) == [200] * 5  # browsing without a search is not counted
    answers = codes(browser, url + "?q=bentrok", 4)
    assert answers[:3] == [200] * 3 and answers[3] == 429
    assert "Terlalu banyak" in browser.get(url + "?q=x").content.decode()
    assert web(sec_b).get(url + "?q=bentrok").status_code == 200  # counted per user


def test_map_data_counts_as_a_search_every_time(web, sec_a, low_rates):
    assert codes(web(sec_a), reverse("incidents:map_data"), 4) == [200, 200, 200, 429]


@pytest.mark.parametrize("name", API_LISTS)
def test_api_search_is_rate_limited_per_user(name, api, sec_a, sec_b, low_rates):
    url = reverse(name)
    client = api(sec_a)
    assert codes(client, url, 5) == [200] * 5
    assert codes(client, url + "?search=x", 2) + codes(client, url + "?q=x", 2) == [200, 200, 200, 429]
    assert api(sec_b).get(url + "?q=x").status_code == 200


@pytest.mark.parametrize(
    "name,setting",
    [
        ("incidents:export_csv", "KONFLIK_INCIDENT_EXPORTS_PER_MINUTE"),
        ("incidents:export_xlsx", "KONFLIK_INCIDENT_EXPORTS_PER_MINUTE"),
    ],
)
def test_incident_exports_are_rate_limited(name, setting, web, sec_a, settings):
    setattr(settings, setting, 2)
    IncidentFactory()
    assert codes(web(sec_a), reverse(name), 3) == [200, 200, 429]


def test_plan_export_is_rate_limited(web, sec_a, settings):
    from actionplans.tests import factories

    settings.KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE = 2
    plan = factories.plan(sec_a, "61.71")
    assert codes(web(sec_a), reverse("actionplans:export", args=[plan.pk]), 3) == [200, 200, 429]


def test_rate_limited_answer_says_when_to_retry(web, sec_a, low_rates):
    browser = web(sec_a)
    codes(browser, "/kejadian/?q=x", 3)
    response = browser.get("/kejadian/?q=x")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_an_unreachable_cache_does_not_turn_searches_into_errors(web, api, sec_a, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    assert web(sec_a).get("/kejadian/?q=x").status_code == 200
    assert api(sec_a).get("/api/incidents/?search=x").status_code == 200
    # nor the per-minute limits of exports
    assert web(sec_a).get("/kejadian/ekspor.csv").status_code == 200


def test_period_report_requests_through_the_api_are_rate_limited(api, sec_a, settings):
    from dashboard.models import PeriodicReport
    from teams.tests.factories import TeamFactory

    settings.KONFLIK_DASHBOARD_REPORTS_PER_MINUTE = 2
    team = TeamFactory(region_id="61.71")
    client = api(sec_a)
    answers = [
        client.post("/api/period-reports/", {"team": team.pk, "year": 2025, "period": period}, format="json")
        for period in ("B04", "B08", "B12")
    ]
    assert [r.status_code for r in answers] == [201, 201, 429]
    assert answers[-1]["Content-Type"] == "application/json" and answers[-1].json()["detail"]
    assert PeriodicReport.objects.count() == 2
    # the form and the API share the one limit
    assert (
        api(sec_a).post("/api/period-reports/", {"team": team.pk, "year": 2024, "period": "B04"}).status_code
        == 429
    )


def _sheet(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"nama;kedudukan\nAni;Bukan kedudukan\n")  # read, then refused


def test_member_import_is_rate_limited(web, sec_a, settings):
    from teams.tests.factories import TeamFactory

    settings.KONFLIK_TEAMS_IMPORT_PER_MINUTE = 2
    team = TeamFactory(region_id="61.71")
    browser, url = web(sec_a), reverse("teams:member_import", args=[team.pk])
    answers = [browser.post(url, {"sheet": _sheet("anggota.csv")}) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "Terlalu banyak permintaan impor" in answers[2].content.decode()


def test_plan_import_is_rate_limited(web, sec_a, settings):
    from actionplans.tests import factories

    settings.KONFLIK_ACTIONPLAN_EXCEL_PER_MINUTE = 2
    plan = factories.plan(sec_a, "61.71")
    browser, url = web(sec_a), reverse("actionplans:import", args=[plan.pk])
    codes = [browser.post(url, {"file": _sheet("rencana.xlsx")}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
