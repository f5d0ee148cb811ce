"""Account management on `/pengguna/`: what an administrator does to accounts, each write audited with
actor and before/after and logged, validation in Indonesian that keeps what was typed, and nobody but
an administrator gets in."""

import logging
import re

import pytest
from django.contrib.sessions.models import Session
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from konflik.models import ApiToken, AuditEvent, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "padi-menguning-di-sawah-2026"


def events_for(user, action):
    return list(AuditEvent.objects.filter(object_id=str(user.pk), content_type__model="user", action=action))


@pytest.fixture
def admin_web(web, admin_user):
    return web(admin_user)


# --- Who gets in -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["sec_a", "province_sec", "leadership", "member_a"])
def test_only_administrators_manage_accounts(who, request, web, sec_b):
    browser = web(request.getfixturevalue(who))
    assert browser.get("/pengguna/").status_code == 403
    assert browser.get(f"/pengguna/{sec_b.pk}/").status_code == 403
    response = browser.post(f"/pengguna/{sec_b.pk}/", {"role": "admin", "first_name": "x"})
    assert response.status_code == 403
    assert browser.post(f"/pengguna/{sec_b.pk}/nonaktifkan/").status_code == 403
    sec_b.refresh_from_db()
    assert (sec_b.role, sec_b.is_active) == ("regency_secretariat", True)
    assert not AuditEvent.objects.exists()


def test_the_menu_offers_the_page_to_administrators_only(admin_web, web, province_sec):
    assert 'data-nav="users"' in admin_web.get("/beranda/").content.decode()
    assert 'data-nav="users"' not in web(province_sec).get("/beranda/").content.decode()


# --- List ------------------------------------------------------------------------------------------


def test_list_searches_and_filters_by_role_region_and_status(admin_web, sec_a, sec_b, leadership_a, inactive):
    def usernames(query):
        html = admin_web.get(f"/pengguna/?{query}").content.decode()
        return set(re.findall(r'data-user="([^"]+)"', html))

    assert {"sek-a", "sek-b", "pimpinan-a", "nonaktif", "admin"} <= usernames("")
    assert usernames("role=regency_secretariat") == {"sek-a", "sek-b", "nonaktif"}
    assert usernames("region=61.71") == {"sek-a", "pimpinan-a", "nonaktif"}
    assert usernames("region=61.71&role=leadership") == {"pimpinan-a"}
    assert usernames("status=inactive") == {"nonaktif"}
    assert usernames("q=sek-b") == {"sek-b"}


def test_list_is_paginated(admin_web, admin_user):
    User.objects.bulk_create(
        [User(username=f"akun-{i:03}", role="member", region_id="61.71") for i in range(60)]
    )
    first = admin_web.get("/pengguna/?role=member").content.decode()
    second = admin_web.get("/pengguna/?role=member&page=2").content.decode()
    assert first.count('data-user="') == 50 and second.count('data-user="') == 10
    assert "role=member&amp;page=2" in first


# --- Create ----------------------------------------------------------------------------------------


def test_create_with_a_typed_password_audits_and_logs(admin_web, admin_user, caplog):
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        response = admin_web.post(
            "/pengguna/baru/",
            {
                "username": "sek-ketapang",
                "first_name": "Sekretariat",
                "last_name": "Ketapang",
                "email": "sek@ketapang.example",
                "role": "regency_secretariat",
                "region": "61.04",
                "password_mode": "type",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    user = User.objects.get(username="sek-ketapang")
    assert response.status_code == 302 and response["Location"] == f"/pengguna/{user.pk}/"
    assert (user.role, user.region_id, user.is_staff, user.is_superuser) == (
        "regency_secretariat",
        "61.04",
        False,
        False,
    )
    assert user.check_password(NEW_PASSWORD)
    [event] = events_for(user, "create")
    assert event.actor == admin_user
    assert event.changes["role"] == [None, "regency_secretariat"]
    assert event.changes["region"] == [None, "61.04"]
    assert "password" not in event.changes and user.password not in str(event.changes)
    assert f"account created user={user.pk}" in caplog.text
    assert NEW_PASSWORD not in caplog.text


def test_create_with_a_generated_password_shows_it_once(admin_web):
    response = admin_web.post(
        "/pengguna/baru/",
        {"username": "pimpinan-sambas", "role": "leadership", "region": "61.01", "password_mode": "generate"},
    )
    assert response.status_code == 200
    password = re.search(r'id="generated-password"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    user = User.objects.get(username="pimpinan-sambas")
    assert user.check_password(password) and len(password) >= 16
    assert password not in admin_web.get(f"/pengguna/{user.pk}/").content.decode()
    assert response["Cache-Control"].count("no-store")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"role": "regency_secretariat", "region": ""}, "region", "Peran ini memerlukan wilayah."),
        (
            {"role": "regency_secretariat", "region": "61"},
            "region",
            "Wilayah untuk peran ini harus bertingkat",
        ),
        (
            {"role": "province_secretariat", "region": "61.71"},
            "region",
            "Wilayah untuk peran ini harus bertingkat",
        ),
        ({"role": "raja"}, "role", "pilihan yang valid"),
        ({"region": "99.99"}, "region", "pilihan yang valid"),
        ({"password1": "rahasia", "password2": "rahasia"}, "password1", "terlalu pendek"),
        ({"password1": "password123", "password2": "password123"}, "password1", "terlalu umum"),
        ({"password2": "lain-sekali-2026"}, "password2", "Kedua kata sandi tidak sama."),
        ({"username": "sek-a"}, "username", "sudah ada"),
    ],
)
def test_create_refuses_bad_input_in_indonesian_and_keeps_what_was_typed(
    admin_web, sec_a, changes, field, message
):
    data = {
        "username": "akun-baru",
        "first_name": "Nama Yang Diketik",
        "email": "diketik@example.test",
        "role": "regency_secretariat",
        "region": "61.71",
        "password_mode": "type",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **changes,
    }
    users = User.objects.count()
    response = admin_web.post("/pengguna/baru/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    html = response.content.decode()
    assert 'value="Nama Yang Diketik"' in html and 'value="diketik@example.test"' in html
    assert User.objects.count() == users
    assert not AuditEvent.objects.exists()


# --- Update ----------------------------------------------------------------------------------------


def test_update_role_and_region_audits_before_and_after(admin_web, admin_user, sec_a, caplog):
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        response = admin_web.post(
            f"/pengguna/{sec_a.pk}/",
            {
                "first_name": "Baru",
                "last_name": "",
                "email": sec_a.email,
                "role": "leadership",
                "region": "61",
            },
        )
    assert response.status_code == 302
    sec_a.refresh_from_db()
    assert (sec_a.role, sec_a.region_id, sec_a.first_name) == ("leadership", "61", "Baru")
    [event] = events_for(sec_a, "update")
    assert event.actor == admin_user
    assert event.changes == {
        "first_name": ["", "Baru"],
        "region": ["61.71", "61"],
        "role": ["regency_secretariat", "leadership"],
    }
    assert f"account changed user={sec_a.pk} fields=first_name,region,role" in caplog.text
    page = admin_web.get(f"/pengguna/{sec_a.pk}/").content.decode()
    assert "Riwayat perubahan" in page and "regency_secretariat" in page  # the history shows it


def test_promotion_to_admin_and_back_follows_the_staff_flags(admin_web, sec_a):
    admin_web.post(f"/pengguna/{sec_a.pk}/", {"role": "admin", "region": "", "email": ""})
    sec_a.refresh_from_db()
    assert (sec_a.role, sec_a.is_staff, sec_a.is_superuser, sec_a.region_id) == ("admin", True, True, None)
    admin_web.post(f"/pengguna/{sec_a.pk}/", {"role": "member", "region": "61.71", "email": ""})
    sec_a.refresh_from_db()
    assert (sec_a.role, sec_a.is_staff, sec_a.is_superuser) == ("member", False, False)


def test_an_administrator_cannot_remove_their_own_admin_role(admin_web, admin_user):
    response = admin_web.post(
        f"/pengguna/{admin_user.pk}/", {"role": "member", "region": "61.71", "email": ""}
    )
    assert response.status_code == 200
    assert "Anda tidak dapat mencabut peran administrator Anda sendiri." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin" and admin_user.is_superuser
    assert not AuditEvent.objects.exists()


# --- Deactivate, reactivate ------------------------------------------------------------------------


def test_deactivation_ends_sessions_and_revokes_tokens_and_is_audited(
    admin_web, admin_user, web, api, sec_a, caplog
):
    browser = web(sec_a)
    assert browser.get("/beranda/").status_code == 200
    token = (
        api()
        .post("/api/auth/token/", {"username": "sek-a", "password": PASSWORD}, format="json")
        .json()["token"]
    )
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        response = admin_web.post(f"/pengguna/{sec_a.pk}/nonaktifkan/")
    assert response.status_code == 302
    sec_a.refresh_from_db()
    assert not sec_a.is_active
    assert not any(s.get_decoded().get("_auth_user_id") == str(sec_a.pk) for s in Session.objects.all())
    assert not ApiToken.objects.filter(user=sec_a, revoked_at__isnull=True).exists()
    assert browser.get("/beranda/").status_code == 302
    [event] = events_for(sec_a, "deactivate")
    assert event.actor == admin_user and event.changes == {"is_active": [True, False]}
    assert "sessions ended: 1; API tokens revoked: 1" in event.note
    assert f"account deactivated user={sec_a.pk} sessions_ended=1 tokens_revoked=1" in caplog.text
    assert token not in caplog.text

    # reactivated, the old session and the old token stay dead
    admin_web.post(f"/pengguna/{sec_a.pk}/aktifkan/")
    sec_a.refresh_from_db()
    assert sec_a.is_active
    assert browser.get("/beranda/").status_code == 302
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/regions/").status_code in (401, 403)
    [event] = events_for(sec_a, "reactivate")
    assert event.changes == {"is_active": [False, True]}


def test_an_administrator_cannot_deactivate_themselves(admin_web, admin_user):
    response = admin_web.post(f"/pengguna/{admin_user.pk}/nonaktifkan/", follow=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not AuditEvent.objects.exists()


# --- Password and MFA resets ----------------------------------------------------------------------


def test_password_reset_by_an_administrator(admin_web, admin_user, web, sec_a, caplog):
    browser = web(sec_a)
    assert browser.get("/beranda/").status_code == 200
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        response = admin_web.post(
            f"/pengguna/{sec_a.pk}/kata-sandi/",
            {"password_mode": "type", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
    assert response.status_code == 302
    sec_a.refresh_from_db()
    assert sec_a.check_password(NEW_PASSWORD)
    assert browser.get("/beranda/").status_code == 302  # the old password's session is over
    [event] = events_for(sec_a, "password_reset")
    assert event.actor == admin_user and event.changes == {"password": ["(old)", "(new)"]}
    assert sec_a.password not in str(event.changes)
    assert f"password reset user={sec_a.pk}" in caplog.text and NEW_PASSWORD not in caplog.text


def test_password_reset_refuses_a_weak_password_and_an_own_reset(admin_web, admin_user, sec_a):
    response = admin_web.post(
        f"/pengguna/{sec_a.pk}/kata-sandi/",
        {"password_mode": "type", "password1": "sek-a", "password2": "sek-a"},
    )
    assert response.status_code == 200 and response.context["form"].errors["password1"]
    sec_a.refresh_from_db()
    assert sec_a.check_password(PASSWORD)
    response = admin_web.post(f"/pengguna/{admin_user.pk}/kata-sandi/", {"password_mode": "generate"})
    assert "Ubah kata sandi Anda sendiri lewat halaman Ubah kata sandi." in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_generated_password_reset_is_shown_once(admin_web, sec_a):
    response = admin_web.post(f"/pengguna/{sec_a.pk}/kata-sandi/", {"password_mode": "generate"})
    password = re.search(r'id="generated-password"[^>]*value="([^"]+)"', response.content.decode()).group(1)
    sec_a.refresh_from_db()
    assert sec_a.check_password(password)


def test_mfa_reset_removes_the_devices_and_is_audited(admin_web, admin_user, sec_a, caplog):
    TOTPDevice.objects.create(user=sec_a, name="autentikator", confirmed=True)
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        response = admin_web.post(f"/pengguna/{sec_a.pk}/mfa/atur-ulang/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=sec_a).exists()
    [event] = events_for(sec_a, "mfa_reset")
    assert event.actor == admin_user and event.changes == {"mfa_devices": [1, 0]}
    assert f"mfa reset user={sec_a.pk} devices=1" in caplog.text
