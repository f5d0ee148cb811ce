"""The province secretariat schedules a coordination meeting inviting two regency teams; a regency
secretariat sees it in its calendar and has the in-app notification (the bell)."""

import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from teams.tests import conftest as teams_fixtures
from tests.browser.conftest import login

# The teams app's fixtures for transactional tests (regions and positions re-seeded; eager Celery).
teams_seed = teams_fixtures.teams_seed
eager_celery = teams_fixtures.eager_celery

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting(request):
    request.getfixturevalue("teams_seed")
    request.getfixturevalue("eager_celery")
    from konflik import demo
    from teams.tests.factories import TeamFactory

    demo.seed(stdout=io.StringIO())
    return {
        code: TeamFactory(region_id=code, name=name)
        for code, name in (
            ("61", "Tim Terpadu Provinsi Kalimantan Barat"),
            ("61.71", "Tim Terpadu Kota Pontianak"),
            ("61.01", "Tim Terpadu Kabupaten Sambas"),
            ("61.72", "Tim Terpadu Kota Singkawang"),
        )
    }


def test_province_meeting_reaches_regency_calendar_and_bell(live_server, page_for, setting):
    start = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=10, minute=0)
    page = page_for()
    login(page, live_server, "sekprov", settings.KONFLIK_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/tim/rapat/baru/")
    page.select_option("#id_team", str(setting["61"].pk))
    page.select_option("#id_kind", "other")
    page.fill("#id_title", "Rakor Tim Terpadu provinsi dan kabupaten")
    page.fill("#id_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_end", (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "Balai Petitih")
    page.check(f"input[name=invited_teams][value='{setting['61.72'].pk}']")
    page.check(f"input[name=invited_teams][value='{setting['61.01'].pk}']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/tim/rapat/" in page.url
    assert page.locator("h1").inner_text().startswith("Rakor Tim Terpadu provinsi dan kabupaten")
    assert page.locator("text=10:00").first.is_visible()

    regency = page_for()
    login(regency, live_server, "sek-sambas", settings.KONFLIK_DEMO_PASSWORD)
    regency.goto(f"{live_server.url}/tim/kalender/?bulan={start:%Y-%m}")
    event = regency.locator(".cal-event", has_text="Rakor Tim Terpadu provinsi dan kabupaten")
    assert event.is_visible()
    assert event.inner_text().startswith("10:00")
    assert int(regency.locator("a.bell").get_attribute("data-unread")) >= 1
    with regency.expect_navigation():
        regency.click("a.bell")
    assert regency.locator("text=Undangan rapat: Rakor Tim Terpadu provinsi dan kabupaten").first.is_visible()

    # A regency that was not invited sees nothing of it.
    from teams.models import Meeting

    outsider = page_for(viewport={"width": 375, "height": 740})
    login(outsider, live_server, "sek-pontianak", settings.KONFLIK_DEMO_PASSWORD)
    meeting = Meeting.objects.get(title="Rakor Tim Terpadu provinsi dan kabupaten")
    outsider.goto(f"{live_server.url}/tim/kalender/?bulan={start:%Y-%m}")
    assert outsider.locator(".cal-event").count() == 0
    response = outsider.goto(f"{live_server.url}{meeting.get_absolute_url()}")
    assert response.status == 404
