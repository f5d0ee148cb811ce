"""The dashboard page and API: scope (a regency's leadership sees only its regency, the province's
all of it, nobody another region's names), links to the filtered lists, roles, and a query count
that does not grow with the data."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from konflik.models import Region

from . import factories as f

pytestmark = pytest.mark.django_db

KALBAR_REGENCIES = 14


@pytest.fixture
def reports(late_2026, sec_a, sec_b, province_sec):
    """Verified reports in Pontianak (A) and Sambas (B, its title carries a marker)."""
    a = f.advance(
        f.incident(
            sec_a,
            "61.71",
            occurred_on=datetime.date(2026, 3, 3),
            deaths=1,
            source_of_conflict="boundary_dispute",
        ),
        to="verified",
        actor=sec_a,
        reviewer=province_sec,
    )
    b = [
        f.advance(
            f.incident(
                sec_b, "61.01", occurred_on=datetime.date(2026, 6, d), title="PENANDA-B Sambas", injured=2
            ),
            to="verified",
            actor=sec_b,
            reviewer=province_sec,
        )
        for d in (1, 2)
    ]
    f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 3, 4))  # a draft: not counted
    return a, b


def bars(html, chart):
    """{data-bar: value shown} of one chart."""
    svg = re.search(rf'<svg class="chart" id="{chart}".*?</svg>', html, re.S).group(0)
    return dict(re.findall(r'data-bar="([^"]+)" aria-label="[^"]*: ([^"%]+)%?"', svg))


def test_provincial_leadership_sees_every_regency(web, leadership, reports):
    response = web(leadership).get("/dasbor/")
    assert response.status_code == 200
    html = response.content.decode()
    area = bars(html, "chart-area")
    assert len(area) == KALBAR_REGENCIES
    assert area["61.71"] == "1" and area["61.01"] == "2"
    assert 'data-figure="incidents"><span class="value">3<' in html
    assert "Kabupaten Sambas" in html


def test_regency_leadership_sees_only_its_regency(web, leadership_a, reports):
    response = web(leadership_a).get("/dasbor/")
    html = response.content.decode()
    assert bars(html, "chart-area") == {"61.71": "1"}
    assert 'data-figure="incidents"><span class="value">1<' in html
    for foreign in Region.objects.filter(level__in=["regency", "city"]).exclude(code="61.71"):
        assert foreign.name not in html, foreign.name
    assert "PENANDA-B" not in html
    # Asking for another regency changes nothing: the figures stay its own.
    html = web(leadership_a).get("/dasbor/?region=61.01").content.decode()
    assert "Sambas" not in html and bars(html, "chart-area") == {"61.71": "1"}


def test_regency_leadership_api_refuses_another_regency(api, leadership_a, reports):
    response = api(leadership_a).get("/api/dashboard/?region=61.01")
    assert response.status_code == 400
    response = api(leadership_a).get("/api/dashboard/?year=2026")
    body = response.json()
    assert body["totals"]["incidents"] == 1
    assert [a["key"] for a in body["by_area"]] == ["61.71"]
    assert "Sambas" not in response.content.decode()


def test_every_number_links_to_its_filtered_list(web, leadership, reports):
    html = web(leadership).get("/dasbor/?year=2026&period=B08").content.decode()
    svg = re.search(r'<svg class="chart" id="chart-area".*?</svg>', html, re.S).group(0)
    href = re.search(r'<a href="([^"]+)" data-bar="61.01"', svg).group(1).replace("&amp;", "&")
    url = urlsplit(href)
    assert url.path == "/kejadian/"
    assert parse_qs(url.query) == {
        "date_from": ["2026-05-01"],
        "date_to": ["2026-08-31"],
        "region": ["61.01"],
        "reported": ["true"],
    }
    # The list behind it shows exactly the bar's number of reports.
    listing = web(leadership).get(href).content.decode()
    assert listing.count("data-incident=") == 2
    # A source-of-conflict bar
    svg = re.search(r'<svg class="chart" id="chart-source".*?</svg>', html, re.S).group(0)
    assert "source_of_conflict=natural_resource_dispute" in svg


def test_numbers_link_with_scope_kept_for_a_chosen_regency(web, leadership, reports):
    html = web(leadership).get("/dasbor/?year=2026&region=61.71").content.decode()
    total = re.search(r'<a href="([^"]+)" data-figure="incidents"', html).group(1).replace("&amp;", "&")
    assert "region=61.71" in total
    listing = web(leadership).get(total).content.decode()
    assert listing.count("data-incident=") == 1


def test_roles(web, member_a, admin_user, sec_a, reports):
    assert web(member_a).get("/dasbor/").status_code == 403
    assert web().get("/dasbor/").status_code == 302
    assert web(sec_a).get("/dasbor/").status_code == 200
    admin = web(admin_user).get("/dasbor/").content.decode()
    assert bars(admin, "chart-area")["61"] == "3"  # a national scope is shown by province


def test_leadership_starts_on_the_dashboard(web, leadership):
    response = web(leadership).get("/")
    assert response.status_code == 302 and response["Location"] == "/dasbor/"


def test_odd_query_strings_never_fail(web, api, leadership, reports):
    for query in (
        "year=abc",
        "year=1200",
        "period=B99",
        "region=%00",
        "region=61.71.01",
        "year=2026&period=",
    ):
        assert web(leadership).get(f"/dasbor/?{query}").status_code == 200, query
        assert api(leadership).get(f"/api/dashboard/?{query}").status_code in (200, 400), query


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_dashboard_query_count_is_constant_as_data_grows(
    web, leadership, sec_a, sec_b, province_sec, django_assert_max_num_queries, late_2026
):
    client = web(leadership)
    f.incident(sec_a, "61.71", occurred_on=datetime.date(2026, 1, 5))
    small = _queries(client, "/dasbor/")
    small_api = _queries(client, "/api/dashboard/")
    for n, region, actor in ((1, "61.71", sec_a), (2, "61.01", sec_b), (3, "61.12", province_sec)):
        for month in (2, 5, 9):
            f.advance(
                f.incident(
                    actor,
                    region,
                    occurred_on=datetime.date(2026, month, n),
                    source_of_conflict="religion_ethnicity",
                ),
                to="verified" if month < 9 else "closed",
                actor=actor,
                reviewer=province_sec,
            )
    assert _queries(client, "/dasbor/") == small
    assert _queries(client, "/api/dashboard/") == small_api
    with django_assert_max_num_queries(25):
        client.get("/dasbor/?year=2026&period=B04&region=61.01")
