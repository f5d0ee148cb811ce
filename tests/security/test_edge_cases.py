"""Edge cases found by an outside probe: the client's address behind a proxy, password spraying,
over-long and control-character input, request ids, NUL bytes in URLs, teams below regency level and
oversized bodies. Each answer is a 4xx a client can act on, never a 500."""

import logging
import time
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from konflik.models import AuditEvent
from teams.models import Institution, Meeting, Member, Team
from teams.tests.factories import TeamFactory, position

pytestmark = pytest.mark.django_db

PROXY = "10.9.9.9"


def sign_in(client, username, password, **extra):
    return client.post("/masuk/", {"username": username, "password": password}, **extra)


def token(client, username, password, **extra):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password}, format="json", **extra
    )


# --- the client's address ------------------------------------------------------------------------------


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    "count,remote,forwarded,expected",
    [
        (0, "10.0.0.1", "6.6.6.6", "10.0.0.1"),  # no proxy: the header is the client's word
        (1, PROXY, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # one proxy: what it appended, the rest is spoofable
        (2, PROXY, "6.6.6.6, 1.1.1.1, 10.8.8.8", "1.1.1.1"),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
        (1, PROXY, "", PROXY),  # no header (a request that did not pass the proxy)
        (2, PROXY, "1.1.1.1", PROXY),  # fewer addresses than proxies
        (1, PROXY, "6.6.6.6, not-an-address", PROXY),  # malformed
        (1, PROXY, "1.1.1.1\x00", PROXY),
    ],
)
def test_client_ip_trusts_exactly_the_configured_proxies(settings, count, remote, forwarded, expected):
    from konflik.clientip import client_ip

    settings.KONFLIK_PROXY_COUNT = count
    assert client_ip(FakeRequest(remote, forwarded)) == expected


def test_spoofed_forwarded_for_does_not_escape_the_token_throttle(api, settings):
    settings.KONFLIK_PROXY_COUNT = 0
    client = api()
    answers = [
        token(client, f"nobody{i}", "x", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}").status_code for i in range(12)
    ]
    assert answers[:10] == [400] * 10 and answers[-1] == 429


def test_spoofed_forwarded_for_does_not_escape_the_lockout(sec_a, settings):
    settings.KONFLIK_PROXY_COUNT = 0
    settings.AXES_FAILURE_LIMIT = 3
    answers = [
        sign_in(Client(), "sek-a", "salah", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.{i}")
        for i in range(3)
    ]
    assert [r.status_code for r in answers] == [200, 200, 429]
    again = sign_in(Client(), "sek-a", PASSWORD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="7.7.7.7")
    assert again.status_code == 429


def test_behind_a_proxy_one_client_cannot_lock_out_another(sec_a, settings, caplog):
    settings.KONFLIK_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    with caplog.at_level(logging.INFO, logger="konflik.security"):
        answers = [
            # the attacker also prepends an address of its choosing: it must not matter
            sign_in(
                Client(), "sek-a", "salah", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"9.9.9.{i}, 1.1.1.1"
            ).status_code
            for i in range(3)
        ]
    assert answers == [200, 200, 429]
    assert "ip=1.1.1.1" in caplog.text and f"ip={PROXY}" not in caplog.text
    assert AccessAttempt.objects.get().ip_address == "1.1.1.1"
    # still locked out from the attacker's address, whatever it prepends ...
    assert (
        sign_in(Client(), "sek-a", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1").status_code
        == 429
    )
    # ... but the real user behind the same proxy, at another address, signs in
    ok = sign_in(Client(), "sek-a", PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert ok.status_code == 302


def test_behind_a_proxy_the_token_throttle_counts_per_client(api, settings):
    settings.KONFLIK_PROXY_COUNT = 1
    client = api()
    spoofing = [
        token(client, f"n{i}", "x", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 1.1.1.1").status_code
        for i in range(11)
    ]
    assert spoofing[-1] == 429
    assert token(client, "n", "x", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="2.2.2.2").status_code == 400


def test_refused_access_is_logged_with_the_client_address(api, settings, caplog):
    settings.KONFLIK_PROXY_COUNT = 1
    with caplog.at_level(logging.WARNING, logger="konflik.security"):
        api().get("/api/regions/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert "access refused" in caplog.text and "ip=1.1.1.1" in caplog.text


# --- password spraying: failures per address across usernames -----------------------------------------


def test_spraying_many_usernames_from_one_address_ends_in_429(sec_a, settings, caplog):
    limit = settings.KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT
    assert 30 <= limit <= 100  # a regency office behind one address may mistype; a spray may not go on
    answers = [
        sign_in(Client(), f"pegawai{i}", "Rahasia2026", REMOTE_ADDR="10.0.0.7").status_code
        for i in range(limit)
    ]
    assert answers == [200] * limit
    with caplog.at_level(logging.WARNING, logger="konflik.security"):
        refused = sign_in(Client(), "pegawai-lain", "Rahasia2026", REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429 and "Terlalu banyak percobaan masuk" in refused.content.decode()
    assert "address limit" in caplog.text
    # every username from that address, the right password included, until the window ends
    assert sign_in(Client(), "sek-a", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 429
    # another address is not affected
    assert sign_in(Client(), "sek-a", PASSWORD, REMOTE_ADDR="10.0.0.8").status_code == 302
    with time_machine.travel(time.time() + settings.KONFLIK_LOGIN_ADDRESS_WINDOW_MINUTES * 60 + 5):
        assert sign_in(Client(), "sek-a", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


def test_spraying_the_token_endpoint_ends_in_429(api, sec_a, settings):
    settings.KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "1000/min"},
    }
    client = api()
    answers = [token(client, f"pegawai{i}", "Rahasia2026").status_code for i in range(31)]
    assert answers == [400] * 30 + [429]
    refused = token(client, "sek-a", PASSWORD)
    assert refused.status_code == 429 and refused["Content-Type"] == "application/json"
    assert refused.json()["detail"]
    # the failures of both doors count together
    assert sign_in(Client(), "sek-a", PASSWORD).status_code == 429


def test_a_few_failures_in_a_shared_office_lock_nobody_else_out(sec_a, sec_b):
    for i in range(20):
        sign_in(Client(), f"staf{i}", "keliru-lagi", REMOTE_ADDR="10.0.0.1")
    assert sign_in(Client(), "sek-b", PASSWORD, REMOTE_ADDR="10.0.0.1").status_code == 302


# --- over-long usernames ----------------------------------------------------------------------------


@pytest.mark.parametrize("length", [151, 256, 300, 10_000])
def test_an_overlong_username_is_a_400_on_both_sign_in_doors(api, length):
    page = sign_in(Client(), "u" * length, "x")
    assert page.status_code == 400
    assert "paling banyak 150 karakter" in page.content.decode()
    answer = token(api(), "u" * length, "x")
    assert answer.status_code == 400 and "username" in answer.json()
    assert not AccessAttempt.objects.exists()


def test_axes_records_an_overlong_username_from_any_other_door(db, rf):
    """Every other caller of authenticate() (the admin's login form, say) gets a truncated record."""
    from django.contrib.auth import authenticate

    request = rf.post("/admin/login/")
    assert authenticate(request=request, username="u" * 300, password="x") is None
    assert len(AccessAttempt.objects.get().username) <= 150


# --- control characters in single-line fields ------------------------------------------------------


START = timezone.now() + timedelta(days=10)


@pytest.fixture
def team(db):
    return TeamFactory(region_id="61.71", name="Tim Terpadu Kota Pontianak")


def meeting_body(team, **extra):
    return {
        "team": team.pk,
        "kind": "limited",
        "title": "Rapat terbatas",
        "start": START.isoformat(),
        "end": (START + timedelta(hours=2)).isoformat(),
        "place": "Aula",
        **extra,
    }


CONTROL_MESSAGE = "tidak boleh memuat baris baru atau karakter kendali"


def test_a_line_break_in_a_meeting_title_is_refused_by_the_api(api, sec_a, team):
    for title in ("Rapat\nBcc: semua@example.test", "Rapat\rx", "Rapat\u2028x", "Rapat\x85x"):
        response = api(sec_a).post("/api/meetings/", meeting_body(team, title=title), format="json")
        assert response.status_code == 400, title
        assert CONTROL_MESSAGE in response.json()["title"][0]
    assert not Meeting.objects.exists()


def test_a_line_break_in_a_meeting_title_is_refused_by_the_form(web, sec_a, team):
    response = web(sec_a).post(
        reverse("teams:meeting_create"),
        {
            "team": team.pk,
            "kind": "limited",
            "title": "Rapat\r\nBcc: semua@example.test",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T11:00",
        },
    )
    assert response.status_code in (200, 400)
    assert CONTROL_MESSAGE in response.content.decode()
    assert not Meeting.objects.exists()


def test_control_characters_in_a_name_are_refused(api, web, sec_a, team):
    name = "Budi\u0007\u001b[31m"
    response = api(sec_a).post(
        "/api/members/", {"team": team.pk, "name": name, "position": position().pk}, format="json"
    )
    assert response.status_code == 400 and CONTROL_MESSAGE in response.json()["name"][0]
    page = web(sec_a).post(
        reverse("teams:member_create", args=[team.pk]), {"name": name, "position": position().pk}
    )
    assert page.status_code in (200, 400) and CONTROL_MESSAGE in page.content.decode()
    response = api(sec_a).patch(
        f"/api/teams/{team.pk}/", {"secretariat_unit": "Kesbangpol\x1b"}, format="json"
    )
    assert response.status_code == 400 and "secretariat_unit" in response.json()
    assert not Member.objects.exists()
    assert Team.objects.get(pk=team.pk).secretariat_unit == ""


def test_multi_line_text_keeps_line_breaks_but_not_other_control_characters(api, sec_a, team):
    ok = api(sec_a).post(
        "/api/meetings/", meeting_body(team, agenda="1. Pembukaan\r\n2. Laporan\n\t- Polres"), format="json"
    )
    assert ok.status_code == 201, ok.content
    refused = api(sec_a).post(
        "/api/meetings/", meeting_body(team, title="Rapat dua", agenda="Pembukaan\x1b[2J"), format="json"
    )
    assert refused.status_code == 400 and "karakter kendali" in refused.json()["agenda"][0]


def test_every_project_char_field_refuses_control_characters():
    from django.apps import apps
    from django.db import models

    from konflik.validators import validate_single_line

    checked = 0
    for label in ("konflik", "teams", "actionplans", "incidents", "dashboard"):
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.concrete_fields:
                if isinstance(field, models.CharField):
                    assert validate_single_line in field.validators, (model, field.name)
                    checked += 1
    assert checked > 50


# --- request ids ---------------------------------------------------------------------------------------


def test_a_client_request_id_does_not_become_the_audit_events(api, sec_a, team):
    response = api(sec_a).patch(
        f"/api/teams/{team.pk}/", {"name": "Tim A"}, format="json", HTTP_X_REQUEST_ID="my-trace-0000001"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert event.request_id == response["X-Request-ID"] != "my-trace-0000001"
    assert len(event.request_id) == 32
    assert response["X-Client-Request-ID"] == "my-trace-0000001"  # echoed for the client's own logs


@pytest.mark.parametrize("value", ["a", "x" * 65, "<script>", "ab cd efgh", "ünïcödé-id", "id\x1b[31mred"])
def test_a_malformed_client_request_id_is_dropped(api, sec_a, value):
    response = api(sec_a).get("/api/regions/", HTTP_X_REQUEST_ID=value)
    assert response.status_code == 200
    assert len(response["X-Request-ID"]) == 32 and "X-Client-Request-ID" not in response


# --- NUL bytes and odd codes in URLs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/wilayah/?parent=%00",
        "/wilayah/%00/",
        "/wilayah/?parent=61.71%00",
        "/wilayah/..%2F/",
        "/api/regions/?parent=%00",
        "/api/regions/%00/",
        "/api/regions/?code=61%00",
        "/api/incidents/?region=%00",
        "/tim/anggota/%00/",
        "/api/members/%00/",
    ],
)
def test_nul_bytes_and_malformed_codes_in_urls_are_not_errors(web, sec_a, url):
    response = web(sec_a).get(url)
    assert response.status_code in (400, 404), (url, response.status_code)


@pytest.mark.parametrize("url", ["/kejadian/?q=%00", "/tim/anggota/?q=a%00b", "/dasbor/?region=%00"])
def test_a_nul_byte_in_a_search_or_filter_is_ignored_by_the_form(web, sec_a, url):
    assert web(sec_a).get(url).status_code == 200


def test_a_region_parent_that_is_not_a_code_is_404(web, sec_a):
    assert web(sec_a).get("/wilayah/?parent=abc").status_code == 404
    assert web(sec_a).get("/wilayah/?parent=61.71").status_code == 200


# --- teams and institutions only for the province and regencies/cities -------------------------------


@pytest.mark.parametrize("code", ["61.71.01", "61.71.01.1001"])
def test_the_api_creates_no_team_or_institution_below_a_regency(api, province_sec, code):
    from konflik.models import Region

    Region.objects.get_or_create(
        code="61.71.01", defaults={"name": "Pontianak Selatan", "level": "district", "parent_id": "61.71"}
    )
    Region.objects.get_or_create(
        code="61.71.01.1001",
        defaults={"name": "Benua Melayu Darat", "level": "village", "parent_id": "61.71.01"},
    )
    client = api(province_sec)
    response = client.post("/api/teams/", {"region": code, "name": "Tim Kecamatan"}, format="json")
    assert response.status_code == 400 and "region" in response.json(), response.content
    response = client.post(
        "/api/institutions/", {"region": code, "name": "Polsek", "kind": "police"}, format="json"
    )
    assert response.status_code == 400 and "region" in response.json(), response.content
    assert not Team.objects.exists() and not Institution.objects.exists()
    # a regency is fine
    assert (
        client.post("/api/teams/", {"region": "61.71", "name": "Tim Kota"}, format="json").status_code == 201
    )


# --- oversized bodies ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/masuk/", "/api/auth/token/", "/api/incidents/1/attachments/"])
def test_an_oversized_body_is_refused_before_it_is_read(path, settings):
    declared = 200 * 1024 * 1024
    assert declared > settings.KONFLIK_MAX_REQUEST_BYTES
    response = Client().generic(
        "POST",
        path,
        b"--x\r\n",  # far less than declared: reading the body would fail
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(declared),
    )
    assert response.status_code == 413
    assert len(response.content) < 500


def test_the_request_limit_is_above_the_largest_legitimate_upload(settings):
    largest = max(
        settings.KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES,
        settings.KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES,
        settings.KONFLIK_TEAMS_MAX_FILE_BYTES,
        settings.KONFLIK_TEAMS_IMPORT_MAX_BYTES,
        settings.KONFLIK_ACTIONPLAN_IMPORT_MAX_BYTES,
    )
    assert largest < settings.KONFLIK_MAX_REQUEST_BYTES
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < settings.KONFLIK_MAX_REQUEST_BYTES


def test_an_oversized_form_or_json_body_is_refused(api, sec_a, settings):
    big = b"{" + b" " * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + b"}"
    response = api(sec_a).generic("POST", "/api/meetings/", big, content_type="application/json")
    assert response.status_code == 413
