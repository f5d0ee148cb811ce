"""An administrator manages accounts in the browser, on a desktop and on a phone: finds a user with the
filters, creates one with a generated password (shown once), and that person signs in with it; the page
never scrolls sideways (wide tables scroll inside their frame)."""

import pytest

from conftest import PASSWORD, make_user
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def cast(transactional_db, kalbar_regions):
    return {
        "admin": make_user("admin", "admin", None, is_staff=True, is_superuser=True),
        "pontianak": make_user("sek-a", "regency_secretariat", "61.71"),
        "sambas": make_user("sek-b", "regency_secretariat", "61.01"),
    }


@pytest.mark.parametrize("width, height", [(1366, 768), (390, 844)])
def test_admin_creates_an_account_that_signs_in(live_server, page_for, cast, width, height, tmp_path):
    page = page_for(viewport={"width": width, "height": height})
    login(page, live_server, "admin", PASSWORD)
    page.goto(f"{live_server.url}/pengguna/")
    assert page.locator("h1").inner_text() == "Pengguna"
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.select_option("#id_region", "61.01")
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")
    assert page.locator("tr[data-user]").count() == 1
    assert page.locator("tr[data-user=sek-b]").is_visible()
    page.screenshot(path=str(tmp_path / f"list-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/pengguna/baru/")
    page.fill("#id_username", "pimpinan-sambas")
    page.fill("#id_first_name", "Bupati Sambas")
    page.select_option("#id_role", "leadership")
    page.select_option("#id_region", "61.04")  # a regency: fits, but we first try the province role
    page.select_option("#id_role", "province_secretariat")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    assert page.locator(".field.has-error").first.is_visible()
    assert "Wilayah untuk peran ini harus bertingkat" in page.locator("form.form").inner_text()
    assert page.input_value("#id_first_name") == "Bupati Sambas"  # nothing typed is lost
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=str(tmp_path / f"form-{width}.png"), full_page=True)
    page.select_option("#id_role", "leadership")
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    password = page.input_value("#generated-password")
    assert len(password) >= 16
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    newcomer = page_for(viewport={"width": width, "height": height})
    login(newcomer, live_server, "pimpinan-sambas", password)
    assert "/masuk/" not in newcomer.url
    assert newcomer.locator("text=Keluar").first.is_visible()
