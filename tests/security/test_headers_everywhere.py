"""Headers and cookies on every kind of response (security.md): HTML, API, downloads, exports, calendar
files, redirects, 403 and 404 all carry CSP, nosniff and the referrer policy; every response to a
signed-in user (or a token) is `no-store`; production settings make the cookies Secure, HttpOnly and
SameSite with `__Host-` names."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client

from .world import build_world

pytestmark = pytest.mark.django_db


def assert_common(response, where):
    csp = response["Content-Security-Policy"]
    if csp.startswith("default-src 'none'"):  # a download may be stricter still (nothing runs, sandboxed)
        assert "sandbox" in csp and response["X-Frame-Options"] == "DENY", where
    else:
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp, where
        assert "frame-ancestors 'none'" in csp, where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where


def test_every_kind_of_response_to_a_signed_in_user_is_no_store(
    sec_a, sec_b, province_sec, member_a, web, api
):
    a = build_world({"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a})["A"]
    from conftest import api_key_for

    browser = web(sec_a)
    token_client = Client(HTTP_AUTHORIZATION=f"Token {api_key_for(sec_a)}")
    responses = {
        "html": browser.get("/beranda/"),
        "redirect": browser.get("/"),
        "404": browser.get("/tidak-ada/"),
        "403": web(member_a).get("/kejadian/"),
        "out of scope": browser.get(f"/kejadian/{a.incident.pk + 10_000}/"),
        "csv": browser.get("/kejadian/ekspor.csv"),
        "xlsx": browser.get("/kejadian/ekspor.xlsx"),
        "plan xlsx": browser.get(f"/rencana-aksi/{a.plan.pk}/ekspor.xlsx"),
        "ics": browser.get(f"/tim/rapat/{a.meeting.pk}/rapat.ics"),
        "map data": browser.get("/kejadian/peta/data/"),
        "minutes download": browser.get(f"/tim/rapat/{a.meeting.pk}/lampiran/{a.minutes.pk}/"),
        "evidence download": browser.get(f"/rencana-aksi/data-dukung/{a.evidence.pk}/unduh/"),
        "attachment download": browser.get(f"/kejadian/lampiran/{a.attachment.pk}/unduh/"),
        "api session": browser.get("/api/incidents/"),
        "api token": token_client.get("/api/incidents/"),
        "api 404": token_client.get("/api/incidents/999999/"),
        "api schema": token_client.get("/api/schema/"),
        "api forced": api(sec_a).get("/api/teams/"),
    }
    for where, response in responses.items():
        assert response.status_code < 500, where
        assert_common(response, where)
        cache = response.get("Cache-Control", "")
        assert "no-store" in cache and "private" in cache, (where, cache)


def test_anonymous_pages_carry_the_headers_too(db):
    for where, response in {
        "login": Client().get("/masuk/"),
        "404": Client().get("/tidak-ada/"),
        "api refused": Client().get("/api/incidents/"),
        "redirect to login": Client().get("/kejadian/"),
    }.items():
        assert_common(response, where)


def test_production_settings_make_cookies_secure(tmp_path):
    env = {
        **os.environ,
        "KONFLIK_ENV": "production",
        "DEBUG": "False",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "konflik.example.go.id",
        "KONFLIK_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "konflik.settings",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({k: "
        "getattr(s, k) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_NAME', 'CSRF_COOKIE_NAME', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'DEBUG', 'KONFLIK_MFA_REQUIRED_ROLES']}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    prod = json.loads(out.stdout.strip().splitlines()[-1])
    assert prod["SESSION_COOKIE_SECURE"] and prod["CSRF_COOKIE_SECURE"] and prod["SESSION_COOKIE_HTTPONLY"]
    assert prod["SESSION_COOKIE_SAMESITE"] == prod["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert prod["SESSION_COOKIE_NAME"].startswith("__Host-") and prod["CSRF_COOKIE_NAME"].startswith(
        "__Host-"
    )
    assert prod["SECURE_SSL_REDIRECT"] and prod["SECURE_HSTS_SECONDS"] >= 31536000 and not prod["DEBUG"]
    assert {"admin", "province_secretariat", "regency_secretariat"} <= set(prod["KONFLIK_MFA_REQUIRED_ROLES"])
