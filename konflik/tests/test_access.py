"""Roles, provisioning, token auth, anonymous refusal, scope (on the Region model, the first
region-owned model: a regency user sees its region, the regions below it and its ancestors)."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import PASSWORD, REGION_A, REGION_B
from konflik.models import AuditEvent, Region, User


@pytest.fixture
def districts(db):
    Region.objects.create(code="61.71.01", name="Pontianak Selatan", level="district", parent_id=REGION_A)
    Region.objects.create(code="61.01.01", name="Sambas", level="district", parent_id=REGION_B)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role,region",
    [
        ("admin", None),
        ("province_secretariat", "61"),
        ("regency_secretariat", "61.71"),
        ("leadership", "61"),
        ("member", "61.01"),
    ],
)
def test_adduser_provisions_each_role(role, region):
    args = ["u-" + role, "--role", role, "--password", "panjang-sekali-2026"]
    if region:
        args += ["--region", region]
    call_command("adduser", *args)
    user = User.objects.get(username="u-" + role)
    assert (user.role, user.region_id) == (role, region)
    assert user.check_password("panjang-sekali-2026")
    assert user.password.startswith("argon2")
    assert AuditEvent.objects.filter(object_id=str(user.pk), action="create").count() == 1


@pytest.mark.django_db
def test_adduser_refuses_unknown_role_and_region():
    with pytest.raises(CommandError, match="unknown role 'bupati'"):
        call_command("adduser", "x", "--role", "bupati", "--region", "61", "--password", "p")
    with pytest.raises(CommandError, match="unknown region code '99.99'"):
        call_command("adduser", "x", "--role", "leadership", "--region", "99.99", "--password", "p")
    with pytest.raises(CommandError, match="needs a region"):
        call_command("adduser", "x", "--role", "leadership", "--password", "p")
    assert not User.objects.filter(username="x").exists()


@pytest.mark.django_db
def test_token_auth(api, sec_a):
    response = api().post("/api/auth/token/", {"username": "sek-a", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/regions/").status_code == 200
    bad = api().post("/api/auth/token/", {"username": "sek-a", "password": "salah"}, format="json")
    assert bad.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/regions/", "/api/regions/61/", "/api/schema/", "/api/docs/"])
def test_anonymous_refused_on_api(api, url):
    assert api().get(url).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "workspace", "regions:list", "password_change"])
def test_anonymous_redirected_to_login_on_pages(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_schema_and_docs_for_signed_in_users(api, web, leadership):
    assert api(leadership).get("/api/schema/").status_code == 200
    docs = web(leadership).get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn" not in docs.content.lower()  # Swagger UI is served from the sidecar package


@pytest.mark.django_db
def test_inactive_user_is_refused(api, inactive):
    assert api(inactive).get("/api/regions/").status_code == 403


@pytest.mark.django_db
def test_regency_sees_own_scope_and_404_for_another(api, sec_a, districts):
    client = api(sec_a)
    codes = {r["code"] for r in client.get("/api/regions/?page_size=200").json()["results"]}
    assert codes == {"61", "61.71", "61.71.01"}  # its ancestors, itself, below it
    assert client.get("/api/regions/61.71.01/").status_code == 200
    assert client.get("/api/regions/61.01/").status_code == 404
    assert client.get("/api/regions/61.01.01/").status_code == 404


@pytest.mark.django_db
def test_province_sees_both_regencies(api, province_sec, districts):
    codes = {r["code"] for r in api(province_sec).get("/api/regions/?page_size=200").json()["results"]}
    assert {"61.71.01", "61.01.01", "61.71", "61.01"} <= codes
    assert len(codes) == 17


@pytest.mark.django_db
def test_region_filters(api, province_sec, districts):
    client = api(province_sec)
    assert client.get("/api/regions/?level=district").json()["count"] == 2
    assert [r["code"] for r in client.get("/api/regions/?parent=61.71").json()["results"]] == ["61.71.01"]
    assert client.get("/api/regions/?code=61.72").json()["results"][0]["name"] == "Kota Singkawang"
    body = client.get("/api/regions/?page_size=5").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 17


@pytest.mark.django_db
def test_leadership_cannot_write(api, leadership):
    # the region endpoint is read-only for everyone; leadership's unsafe calls are refused
    assert api(leadership).post("/api/regions/", {"code": "61.99"}, format="json").status_code == 403


@pytest.mark.django_db
def test_region_browser_scoped(web, sec_a, districts):
    client = web(sec_a)
    page = client.get(reverse("regions:list") + "?parent=61.71")
    assert page.status_code == 200 and "Pontianak Selatan" in page.content.decode()
    assert client.get(reverse("regions:list") + "?parent=61.01").status_code == 404
    assert client.get(reverse("regions:detail", args=["61.01"])).status_code == 404
    top = client.get(reverse("regions:list")).content.decode()
    assert "Kota Pontianak" in top and "Kabupaten Sambas" not in top


@pytest.mark.django_db
def test_region_list_query_count(api, province_sec, districts, django_assert_max_num_queries):
    for i in range(30):
        Region.objects.create(
            code=f"61.71.{10 + i}", name=f"Kecamatan {i}", level="district", parent_id=REGION_A
        )
    # session-less API: count, page of rows
    with django_assert_max_num_queries(2):
        assert api(province_sec).get("/api/regions/?page_size=200").status_code == 200


@pytest.mark.django_db
def test_home_takes_each_role_to_its_start_page_in_indonesian(web, sec_a):
    response = web(sec_a).get("/", follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'lang="id"' in body and "Beranda" in body


@pytest.mark.django_db
def test_indonesian_even_when_the_browser_asks_for_english(web, sec_a):
    client = web(sec_a)
    page = client.get("/beranda/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page and "Keluar" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/beranda/"})
    page = client.get("/beranda/").content.decode()
    assert 'lang="en"' in page and "Sign out" in page
