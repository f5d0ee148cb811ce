"""Leadership's journey: sign in, land on the dashboard, read the figures and the charts (drawn on the
server, no script), click a regency's bar and land on the incident list filtered to that regency."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from conftest import PASSWORD, make_user
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db, kalbar_regions):
    return {
        "pontianak": make_user("sek-a", "regency_secretariat", "61.71"),
        "sambas": make_user("sek-b", "regency_secretariat", "61.01"),
        "province": make_user("sekprov", "province_secretariat", "61"),
        "leadership": make_user("pimpinan", "leadership", "61"),
    }


def _file(actor, region, title, day):
    from dashboard.tests import factories as f

    return f.advance(
        f.incident(actor, region, occurred_on=day, title=title, deaths=1),
        to="submitted",
        actor=actor,
        reviewer=None,
    )


def test_leadership_reads_the_dashboard_and_opens_a_regency(live_server, page_for, cast):
    day = timezone.localdate() - datetime.timedelta(days=1)
    _file(cast["sambas"], "61.01", "Sengketa tapal batas Sambas", day)
    _file(cast["sambas"], "61.01", "Bentrok pemuda Sambas", day)
    _file(cast["pontianak"], "61.71", "Ketegangan pilkades Pontianak", day)

    page = page_for()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login(page, live_server, "pimpinan", PASSWORD)
    assert urlsplit(page.url).path == "/dasbor/"  # leadership's start page
    assert page.locator("[data-figure=incidents] .value").inner_text() == "3"
    assert page.locator("[data-figure=deaths] .value").inner_text() == "3"
    assert page.locator("#chart-area a[data-bar]").count() == 14  # every regency of the province
    assert page.locator("#chart-month").is_visible()
    assert not [e for e in errors if "Content Security Policy" in e]

    with page.expect_navigation():
        page.locator('#chart-area a[data-bar="61.01"] rect').last.click()
    url = urlsplit(page.url)
    assert url.path == "/kejadian/"
    assert parse_qs(url.query)["region"] == ["61.01"]
    rows = page.locator("#incident-table tbody tr[data-incident]")
    assert rows.count() == 2
    assert page.get_by_text("Sengketa tapal batas Sambas").is_visible()
    assert page.get_by_text("Ketegangan pilkades Pontianak").count() == 0
