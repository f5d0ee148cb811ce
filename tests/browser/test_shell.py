"""Each demo role signs in through the real login page and lands on its start page, in Indonesian;
on a phone-sized viewport the menu still leads somewhere."""

import io

import pytest
from django.conf import settings

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_accounts(transactional_db, kalbar_regions):
    from konflik import demo

    demo.seed(stdout=io.StringIO())
    return [(username, role) for username, role, _region, _desc in demo.DEMO_ACCOUNTS]


def test_every_demo_role_lands_on_its_start_page_in_indonesian(live_server, page_for, demo_accounts):
    from konflik import navigation

    for username, role in demo_accounts:
        page = page_for()
        login(page, live_server, username, settings.KONFLIK_DEMO_PASSWORD)
        expected = navigation.start_url_for(role) or "/beranda/"
        assert page.url.endswith(expected), (username, page.url)
        assert page.locator("html").get_attribute("lang") == "id"
        assert page.locator("text=Keluar").first.is_visible()
        assert page.locator("nav.nav-desktop a").count() >= 2


def test_phone_navigation_reaches_the_region_browser(live_server, page_for, demo_accounts):
    page = page_for(viewport={"width": 375, "height": 740})
    login(page, live_server, "sek-pontianak", settings.KONFLIK_DEMO_PASSWORD)
    assert not page.locator("nav.nav-desktop").is_visible()
    page.click("#main-menu summary")
    with page.expect_navigation():
        page.click("#main-menu a[data-nav=regions]")
    assert page.url.endswith("/wilayah/")
    assert page.locator("h1").inner_text() == "Wilayah"
    assert page.locator("text=Kota Pontianak").first.is_visible()


def test_language_switch_to_english(live_server, page_for, demo_accounts):
    page = page_for()
    login(page, live_server, "sekprov", settings.KONFLIK_DEMO_PASSWORD)
    page.select_option("#lang-select", "en")
    with page.expect_navigation():
        page.click("form.lang button")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("text=Sign out").first.is_visible()


def test_wrong_password_shows_an_indonesian_message(live_server, page_for, demo_accounts):
    page = page_for()
    login(page, live_server, "sekprov", "salah-sekali")
    assert page.locator("text=Nama pengguna atau kata sandi salah").is_visible()
