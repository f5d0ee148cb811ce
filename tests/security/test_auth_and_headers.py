"""Authentication, sessions and headers (security.md, ASVS 6.x, 7.x; issue 7 parts 1-2)."""

import logging
import time

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password, ip="10.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_lockout_is_keyed_on_username_and_ip(sec_a, sec_b, settings):
    settings.AXES_FAILURE_LIMIT = 3
    office = Client()
    codes = [login(office, "sek-a", "salah", ip="10.0.0.1").status_code for _ in range(3)]
    assert codes == [200, 200, 429]  # the form again twice, then the lockout page
    locked = login(Client(), "sek-a", PASSWORD, ip="10.0.0.1")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    # a colleague behind the same office address is not locked out ...
    assert login(Client(), "sek-b", PASSWORD, ip="10.0.0.1").status_code == 302
    # ... nor is the same user from another address
    assert login(Client(), "sek-a", PASSWORD, ip="10.0.0.2").status_code == 302


def test_login_events_are_logged_without_secrets(sec_a, caplog):
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        login(Client(), "sek-a", "rahasia-salah-123")
        login(Client(), "sek-a", PASSWORD)
    text = caplog.text
    assert "login failed username='sek-a'" in text and f"login user={sec_a.pk}" in text
    assert "rahasia-salah-123" not in text and PASSWORD not in text


def test_refused_access_is_logged(api, leadership, caplog):
    with caplog.at_level(logging.WARNING, logger="konflik.security"):
        assert api(leadership).post("/api/notifications/read-all/x/").status_code in (403, 404, 405)
        assert api().get("/api/regions/").status_code in (401, 403)
    assert "access refused" in caplog.text


def test_deactivated_user_loses_sessions_and_tokens(api, web, sec_a):
    browser = web(sec_a)
    assert browser.get("/beranda/").status_code == 200
    token = (
        api()
        .post("/api/auth/token/", {"username": "sek-a", "password": PASSWORD}, format="json")
        .json()["token"]
    )
    sec_a.is_active = False
    sec_a.save()
    assert browser.get("/beranda/").status_code == 302  # back to the login page
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/regions/").status_code in (401, 403)


def test_idle_and_absolute_session_timeouts(web, sec_a, settings):
    settings.KONFLIK_SESSION_IDLE_SECONDS = 60
    settings.KONFLIK_SESSION_ABSOLUTE_SECONDS = 3600
    browser = web(sec_a)
    assert browser.get("/beranda/").status_code == 200
    session = browser.session
    session["konflik_seen"] = int(time.time()) - 120
    session.save()
    assert browser.get("/beranda/").status_code == 302

    browser = web(sec_a)
    assert browser.get("/beranda/").status_code == 200
    session = browser.session
    session["konflik_started"] = int(time.time()) - 7200
    session.save()
    assert browser.get("/beranda/").status_code == 302


def test_new_session_key_at_login(sec_a):
    client = Client()
    client.get("/masuk/")
    client.cookies["konflik_session"] = "attacker-chosen"
    login(client, "sek-a", PASSWORD)
    assert client.cookies["konflik_session"].value != "attacker-chosen"


def _enrol(user):
    device = TOTPDevice.objects.create(user=user, name="t", confirmed=True)
    return device


def _unthrottle(device):
    """A wrong code throttles the device for a while (django-otp); skip the wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_mfa_required_role_must_enrol_first(sec_a, settings):
    settings.KONFLIK_MFA_REQUIRED_ROLES = ["regency_secretariat"]
    client = Client()
    login(client, "sek-a", PASSWORD)
    response = client.get("/beranda/")
    assert response.status_code == 302 and response["Location"].startswith("/akun/mfa/")
    page = client.get("/akun/mfa/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=sec_a, confirmed=False)
    assert client.post("/akun/mfa/", {"token": "000000"}).status_code == 200  # wrong code: form again
    _unthrottle(device)
    assert client.post("/akun/mfa/", {"token": _code(device), "next": "/beranda/"}).status_code == 302
    assert client.get("/beranda/").status_code == 200


def test_enrolled_user_verifies_after_password_and_for_tokens(sec_a, api):
    device = _enrol(sec_a)
    client = Client()
    login(client, "sek-a", PASSWORD)
    assert client.get("/beranda/")["Location"].startswith("/akun/mfa/verifikasi/")
    assert client.get("/api/regions/").status_code == 403
    assert client.post("/akun/mfa/verifikasi/", {"token": "123"}).status_code == 200
    _unthrottle(device)
    assert client.post("/akun/mfa/verifikasi/", {"token": _code(device)}).status_code == 302
    assert client.get("/beranda/").status_code == 200

    no_code = api().post("/api/auth/token/", {"username": "sek-a", "password": PASSWORD}, format="json")
    assert no_code.status_code == 400 and no_code.json() == {
        "non_field_errors": ["Nama pengguna, kata sandi, atau kode verifikasi salah."]
    }
    with time_machine.travel(time.time() + 31):  # a code is accepted once: wait for the next one
        ok = api().post(
            "/api/auth/token/",
            {"username": "sek-a", "password": PASSWORD, "otp_token": _code(device)},
            format="json",
        )
    assert ok.status_code == 200 and ok.json()["token"]


def test_security_headers_on_html_api_and_login(web, api, sec_a):
    for response in (
        Client().get("/masuk/"),
        web(sec_a).get("/beranda/"),
        api(sec_a).get("/api/regions/"),
        web(sec_a).get("/tidak-ada/"),
    ):
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
    for response in (
        web(sec_a).get("/beranda/"),
        api(sec_a).get("/api/regions/"),
        web(sec_a).get("/tidak-ada/"),
    ):
        assert "no-store" in response["Cache-Control"]


def test_swagger_ui_has_no_inline_script(web, sec_a):
    page = web(sec_a).get("/api/docs/").content.decode()
    assert "<script>" not in page.replace(" ", "")


def test_token_endpoint_is_throttled(api, sec_a):
    client = api()
    codes = [
        client.post(
            "/api/auth/token/", {"username": f"nobody{i}", "password": "x"}, format="json"
        ).status_code
        for i in range(12)
    ]
    assert codes[:10] == [400] * 10 and codes[-1] == 429
