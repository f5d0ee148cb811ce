import pytest

from conftest import CHROMIUM


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page_for(chromium):
    """`page_for(viewport=...)` opens a fresh browser context (no shared cookies between tests)."""
    contexts = []

    def make(viewport=None):
        context = chromium.new_context(viewport=viewport or {"width": 1280, "height": 800}, locale="id-ID")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
