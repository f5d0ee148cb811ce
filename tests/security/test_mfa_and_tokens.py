"""The second factor cannot be replaced without itself, and API tokens are per client, expire, can be
revoked and die with a password change, a deactivation or a reset of the second factor (probe
findings 1, 3 and 10)."""

import datetime
import logging
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from konflik.models import AuditEvent

pytestmark = pytest.mark.django_db

PRODUCTION_MFA_ROLES = ["admin", "province_secretariat", "regency_secretariat"]


def login(client, username="sek-a", password=PASSWORD):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def code_of(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def unthrottle(device):
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=None, throttling_failure_count=0
    )


def obtain(api, **body):
    return api().post("/api/auth/token/", {"username": "sek-a", "password": PASSWORD, **body}, format="json")


def token_client(api, key):
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(api, key):
    return token_client(api, key).get("/api/regions/").status_code == 200


@pytest.fixture
def owner_device(sec_a):
    return TOTPDevice.objects.create(user=sec_a, name="ponsel pemilik", confirmed=True)


# --- Finding 1: the second factor ---------------------------------------------------------------------


@pytest.mark.parametrize("required_roles", [PRODUCTION_MFA_ROLES, []], ids=["production", "optional"])
def test_password_only_session_cannot_enrol_a_new_device(sec_a, owner_device, api, settings, required_roles):
    """The probe's attack, step by step: sign in with the password only, open the enrolment page, read
    the new secret, confirm it, then ask for an API token with a code of the new device."""
    settings.KONFLIK_MFA_REQUIRED_ROLES = required_roles
    attacker = Client()
    assert login(attacker).status_code == 302
    page = attacker.get("/akun/mfa/")
    planted = TOTPDevice.objects.filter(user=sec_a).exclude(pk=owner_device.pk).first()
    confirm = None
    if planted is not None:
        confirm = attacker.post("/akun/mfa/", {"token": code_of(planted), "next": "/beranda/"})
    after = attacker.get("/beranda/")
    with time_machine.travel(time.time() + 31):
        token = obtain(api, otp_token=code_of(planted) if planted else "000000")

    # the page sends the password-only session to verify the existing device, shows no secret ...
    assert page.status_code == 302 and page["Location"].startswith("/akun/mfa/verifikasi/")
    assert "data-secret" not in page.content.decode()
    assert planted is None and confirm is None
    # ... the owner's device is kept and is the only one, the session is still not signed in ...
    assert list(TOTPDevice.objects.filter(user=sec_a).values_list("pk", flat=True)) == [owner_device.pk]
    assert after.status_code == 302 and after["Location"].startswith("/akun/mfa/verifikasi/")
    # ... and the token endpoint takes only the owner's device
    assert token.status_code == 400 and "token" not in token.json()
    assert not AuditEvent.objects.filter(action__in=["mfa_enrol", "mfa_replace"]).exists()


def test_password_only_session_cannot_post_a_code_to_the_enrolment_page(sec_a, owner_device):
    attacker = Client()
    login(attacker)
    response = attacker.post("/akun/mfa/", {"token": code_of(owner_device)})
    assert response.status_code == 302 and response["Location"].startswith("/akun/mfa/verifikasi/")
    assert list(TOTPDevice.objects.filter(user=sec_a)) == [owner_device]


def test_first_enrolment_with_the_password_only_stays_possible(sec_a, settings):
    settings.KONFLIK_MFA_REQUIRED_ROLES = PRODUCTION_MFA_ROLES
    browser = Client()
    login(browser)
    assert browser.get("/beranda/")["Location"].startswith("/akun/mfa/")
    page = browser.get("/akun/mfa/")
    assert page.status_code == 200 and "data-secret" in page.content.decode()
    device = TOTPDevice.objects.get(user=sec_a)
    assert browser.post("/akun/mfa/", {"token": code_of(device), "next": "/beranda/"}).status_code == 302
    assert browser.get("/beranda/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_enrol", object_id=str(sec_a.pk)).count() == 1
    assert len(mail.outbox) == 0  # a first enrolment is not a replacement


def test_verified_session_replaces_its_device_audited_logged_and_mailed(
    sec_a, owner_device, api, settings, caplog, django_capture_on_commit_callbacks
):
    settings.KONFLIK_MFA_REQUIRED_ROLES = PRODUCTION_MFA_ROLES
    old_key = obtain(api, otp_token=code_of(owner_device), name="skrip").json()["token"]
    browser = Client()
    login(browser)
    with time_machine.travel(time.time() + 31):
        unthrottle(owner_device)
        assert browser.post("/akun/mfa/verifikasi/", {"token": code_of(owner_device)}).status_code == 302
        page = browser.get("/akun/mfa/")
        assert page.status_code == 200 and "data-secret" in page.content.decode()
        new_device = TOTPDevice.objects.get(user=sec_a, confirmed=False)
        with (
            caplog.at_level(logging.INFO, logger="konflik.security"),
            django_capture_on_commit_callbacks(execute=True),
        ):
            done = browser.post("/akun/mfa/", {"token": code_of(new_device), "next": "/beranda/"})
    assert done.status_code == 302
    assert list(TOTPDevice.objects.filter(user=sec_a)) == [new_device]
    new_device.refresh_from_db()
    assert new_device.confirmed
    assert browser.get("/beranda/").status_code == 200
    assert AuditEvent.objects.filter(action="mfa_replace", object_id=str(sec_a.pk)).count() == 1
    assert f"mfa device replaced user={sec_a.pk}" in caplog.text
    assert [m.to for m in mail.outbox] == [[sec_a.email]]
    assert "verifikasi dua langkah" in mail.outbox[0].subject.lower()
    assert not works(api, old_key)  # tokens of the old device are revoked with it


def test_admin_resets_a_users_devices(
    sec_a, owner_device, admin_user, api, caplog, django_capture_on_commit_callbacks
):
    from konflik.services import user_mfa_reset

    key = obtain(api, otp_token=code_of(owner_device)).json()["token"]
    assert works(api, key)
    with (
        caplog.at_level(logging.INFO, logger="konflik.security"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        user_mfa_reset(user=sec_a, actor=admin_user)
    assert not TOTPDevice.objects.filter(user=sec_a).exists()
    assert not works(api, key)
    event = AuditEvent.objects.get(action="mfa_reset")
    assert event.actor == admin_user and event.object_id == str(sec_a.pk)
    assert f"mfa reset user={sec_a.pk} devices=1 by={admin_user.pk}" in caplog.text
    assert [m.to for m in mail.outbox] == [[sec_a.email]]
    # the next sign-in is a first enrolment again
    browser = Client()
    login(browser)
    assert browser.get("/akun/mfa/").status_code == 200


# --- Finding 10: the token endpoint's answers, and `next` ---------------------------------------------


def test_wrong_password_and_wrong_code_get_the_same_answer(sec_a, owner_device, api):
    answers = [
        obtain(api, password="salah-sekali-123", otp_token="123456"),
        obtain(api, password="salah-sekali-123"),
        obtain(api, otp_token="123456"),  # the right password, a wrong code
        obtain(api),  # the right password, no code
    ]
    assert {r.status_code for r in answers} == {400}
    assert len({r.content for r in answers}) == 1, [r.json() for r in answers]


def test_wrong_codes_count_towards_the_lockout(sec_a, owner_device, api, settings):
    settings.AXES_FAILURE_LIMIT = 3
    codes = [obtain(api, otp_token="123456").status_code for _ in range(3)]
    assert codes == [400, 400, 429]


@pytest.mark.parametrize("secure,production", [(True, False), (False, True)])
def test_mfa_next_must_be_https_when_secure_or_in_production(
    sec_a, owner_device, settings, secure, production
):
    settings.PRODUCTION = production
    browser = Client()
    login(browser)
    response = browser.post(
        "/akun/mfa/verifikasi/",
        {"token": code_of(owner_device), "next": "http://testserver/kejadian/"},
        secure=secure,
    )
    assert response.status_code == 302 and response["Location"] == "/"
    browser = Client()
    login(browser)
    with time_machine.travel(time.time() + 31):
        unthrottle(owner_device)
        response = browser.post(
            "/akun/mfa/verifikasi/",
            {"token": code_of(owner_device), "next": "https://testserver/kejadian/"},
            secure=secure,
        )
    assert response["Location"] == "https://testserver/kejadian/"


# --- Finding 3: API tokens ------------------------------------------------------------------------------


def test_token_expires_after_the_configured_lifetime(sec_a, api, settings):
    settings.KONFLIK_API_TOKEN_DAYS = 30
    response = obtain(api, name="laptop")
    body = response.json()
    assert response.status_code == 200 and body["name"] == "laptop"
    expires = datetime.datetime.fromisoformat(body["expires"])
    assert abs(expires - (timezone.now() + datetime.timedelta(days=30))) < datetime.timedelta(minutes=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert works(api, body["token"])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        refused = token_client(api, body["token"]).get("/api/regions/")
    assert refused.status_code == 401 and "kedaluwarsa" in refused.json()["detail"]


def test_one_token_per_client_stored_only_as_a_hash(sec_a, api):
    from konflik.models import ApiToken

    laptop = obtain(api, name="laptop").json()["token"]
    server = obtain(api, name="server").json()["token"]
    assert laptop != server and works(api, laptop) and works(api, server)
    again = obtain(api, name="laptop").json()["token"]
    assert again != laptop and works(api, again) and not works(api, laptop) and works(api, server)
    for row in ApiToken.objects.values():
        assert not {laptop, server, again} & {str(v) for v in row.values()}
    listed = token_client(api, server).get("/api/auth/tokens/")
    assert listed.status_code == 200
    assert sorted(t["name"] for t in listed.json()["results"]) == ["laptop", "server"]
    assert all(t["last_used"] for t in listed.json()["results"])  # both were used above
    assert laptop not in listed.content.decode() and again not in listed.content.decode()
    events = AuditEvent.objects.filter(action__startswith="api_token_")
    assert sorted(events.values_list("action", flat=True)) == ["api_token_create"] * 3 + ["api_token_revoke"]


def test_owner_revokes_a_token_through_the_api(sec_a, sec_b, api):
    from konflik.models import ApiToken

    mine = obtain(api, name="laptop").json()["token"]
    theirs = api().post(
        "/api/auth/token/", {"username": "sek-b", "password": PASSWORD, "name": "x"}, format="json"
    )
    theirs_key = theirs.json()["token"]
    client = token_client(api, mine)
    other = ApiToken.objects.get(user=sec_b)
    assert client.delete(f"/api/auth/tokens/{other.pk}/").status_code == 404
    assert works(api, theirs_key)
    own = ApiToken.objects.get(user=sec_a)
    assert token_client(api, theirs_key).delete(f"/api/auth/tokens/{own.pk}/").status_code == 404
    assert client.delete(f"/api/auth/tokens/{own.pk}/").status_code == 204
    assert not works(api, mine)
    assert AuditEvent.objects.filter(action="api_token_revoke", object_id=str(own.pk)).count() == 1


def test_owner_lists_and_revokes_tokens_on_the_page(sec_a, sec_b, api, web):
    from konflik.models import ApiToken

    key = obtain(api, name="skrip-laporan").json()["token"]
    api().post(
        "/api/auth/token/", {"username": "sek-b", "password": PASSWORD, "name": "punya-b"}, format="json"
    )
    browser = web(sec_a)
    page = browser.get("/akun/token/").content.decode()
    assert (
        "skrip-laporan" in page
        and f'data-token="{ApiToken.objects.get(user=sec_a).pk}"' in page
        and "punya-b" not in page
        and key not in page
    )
    other = ApiToken.objects.get(user=sec_b)
    assert browser.post(f"/akun/token/{other.pk}/cabut/").status_code == 404
    own = ApiToken.objects.get(user=sec_a)
    assert browser.post(f"/akun/token/{own.pk}/cabut/").status_code == 302
    assert not works(api, key)
    assert f'data-token="{own.pk}"' not in browser.get("/akun/token/").content.decode()


def test_password_change_revokes_tokens_is_audited_and_logged(sec_a, api, web, caplog):
    key = obtain(api, name="laptop").json()["token"]
    browser = web(sec_a)
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        response = browser.post(
            "/akun/kata-sandi/",
            {
                "old_password": PASSWORD,
                "new_password1": "kalimat-sandi-baru-yang-panjang",
                "new_password2": "kalimat-sandi-baru-yang-panjang",
            },
        )
    assert response.status_code == 302
    assert browser.get("/beranda/").status_code == 200  # the session is kept
    assert not works(api, key)
    assert AuditEvent.objects.filter(action="password_change", object_id=str(sec_a.pk)).count() == 1
    assert f"password changed user={sec_a.pk}" in caplog.text
    assert "kalimat-sandi-baru-yang-panjang" not in caplog.text


def test_deactivation_revokes_tokens_for_good(sec_a, api):
    key = obtain(api, name="laptop").json()["token"]
    sec_a.is_active = False
    sec_a.save()
    assert not works(api, key)
    sec_a.is_active = True
    sec_a.save()
    assert not works(api, key)  # reactivating the account does not bring the token back


def test_token_without_otp_is_refused_once_the_role_requires_mfa(sec_a, api, settings):
    settings.KONFLIK_MFA_REQUIRED_ROLES = []
    key = obtain(api, name="lama").json()["token"]
    assert works(api, key)
    settings.KONFLIK_MFA_REQUIRED_ROLES = ["regency_secretariat"]
    refused = token_client(api, key).get("/api/regions/")
    assert refused.status_code == 401 and "dua langkah" in refused.json()["detail"]


def test_token_issued_with_otp_works_for_a_role_that_requires_mfa(sec_a, owner_device, api, settings):
    settings.KONFLIK_MFA_REQUIRED_ROLES = ["regency_secretariat"]
    key = obtain(api, otp_token=code_of(owner_device)).json()["token"]
    assert works(api, key)


def test_provisioning_a_new_password_revokes_tokens(sec_a, api):
    from konflik.services import user_provision

    key = obtain(api, name="laptop").json()["token"]
    user_provision(
        username="sek-a", role="regency_secretariat", region_code="61.71", password="kata-sandi-baru-2026"
    )
    assert not works(api, key)
