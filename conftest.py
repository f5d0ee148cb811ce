"""The cast every test uses: secretariats of regency A (Kota Pontianak 61.71) and
regency B (Kabupaten Sambas 61.01), the province secretariat, provincial and regency leadership, a team
member, an inactive user, and anonymous.
"""

import os
import shutil

import pytest
from rest_framework.test import APIClient

# Playwright's sync API runs an event loop in the test thread; Django's ORM is still used synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REGION_A = "61.71"
REGION_B = "61.01"
PASSWORD = "uji-kata-sandi-2026"

LIVE_SERVICES = bool(
    os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")
)
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


def pytest_collection_modifyitems(config, items):
    skip_live = pytest.mark.skip(
        reason="needs PostgreSQL and Redis: set DATABASE_URL (postgres) and REDIS_URL"
    )
    skip_browser = pytest.mark.skip(
        reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"
    )
    for item in items:
        if "live" in item.keywords and not LIVE_SERVICES:
            item.add_marker(skip_live)
        if "browser" in item.keywords and not CHROMIUM:
            item.add_marker(skip_browser)


def _fast_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    class FastArgon2PasswordHasher(Argon2PasswordHasher):
        """Argon2 with test-sized costs (production's parameters take ~100 MB and tenths of a second)."""

        time_cost = 1
        memory_cost = 256
        parallelism = 1

    return FastArgon2PasswordHasher


FastArgon2PasswordHasher = _fast_argon2()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["conftest.FastArgon2PasswordHasher"]
    # Throttles and lockouts start afresh in every test (on SQLite user ids repeat and time is often
    # frozen, so a counter left by one test is the next test's counter).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache, caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.utils import translation

    cache.clear()
    translation.activate("id")  # a request in an earlier test may have left English active
    yield
    # A conftest or test that put a cache of its own in place empties it too (an unreachable Redis,
    # put there on purpose, is left alone).
    for used in caches.all(initialized_only=True):
        if isinstance(used, LocMemCache):
            used.clear()


@pytest.fixture
def kalbar_regions(django_db_blocker):
    """Transactional tests flush the tables, seeded regions included: put them back."""
    import importlib

    from django.apps import apps

    with django_db_blocker.unblock():
        importlib.import_module("konflik.migrations.0002_seed_kalbar_regions").seed(apps, None)


def api_key_for(user, name="uji", mfa_verified=True):
    """A fresh API token of `user` for the client `name`: its key (only the hash is stored)."""
    from konflik.services import api_token_issue

    return api_token_issue(user=user, name=name, mfa_verified=mfa_verified)[1]


def make_user(username, role, region, **extra):
    from konflik.models import User

    user = User(username=username, role=role, region_id=region, email=f"{username}@example.test", **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def sec_a(db):
    return make_user("sek-a", "regency_secretariat", REGION_A)


@pytest.fixture
def sec_b(db):
    return make_user("sek-b", "regency_secretariat", REGION_B)


@pytest.fixture
def province_sec(db):
    return make_user("sekprov", "province_secretariat", "61")


@pytest.fixture
def leadership(db):
    return make_user("pimpinan", "leadership", "61")


@pytest.fixture
def leadership_a(db):
    return make_user("pimpinan-a", "leadership", REGION_A)


@pytest.fixture
def member_a(db):
    return make_user("anggota-a", "member", REGION_A)


@pytest.fixture
def admin_user(db):
    return make_user("admin", "admin", None, is_staff=True, is_superuser=True)


@pytest.fixture
def inactive(db):
    return make_user("nonaktif", "regency_secretariat", REGION_A, is_active=False)


@pytest.fixture
def api():
    """An API client factory: `api(user)` is signed in as `user`, `api()` is anonymous."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def web(client):
    """A browser-like client factory: `web(user)` has a session for `user`."""

    def make(user=None):
        from django.test import Client

        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
