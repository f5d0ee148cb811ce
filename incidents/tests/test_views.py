"""HTML pages: scope (404), roles (403), Indonesian form errors that keep what was typed, filters,
exports equal to the filtered list, the map's data, constant query counts."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.utils import timezone
from openpyxl import load_workbook

from conftest import REGION_A, REGION_B
from incidents import services
from incidents.models import Incident
from incidents.tests.conftest import service_data
from incidents.tests.factories import IncidentFactory
from konflik.models import Region


def numbers_on_page(response):
    return re.findall(r'data-incident="([^"]+)"', response.content.decode())


def csv_numbers(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row[0] for row in list(csv.reader(io.StringIO(text)))[1:]]


def xlsx_numbers(response):
    data = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["{pk}/", "{pk}/ubah/", "{pk}/perkembangan/baru/"],
)
def test_another_regencys_pages_are_404(web, sec_b, incident_a, path):
    assert web(sec_b).get("/kejadian/" + path.format(pk=incident_a.pk)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", ["ajukan", "verifikasi", "kembalikan", "tutup", "lampiran", "perkembangan/baru"]
)
def test_another_regencys_actions_change_nothing(web, sec_b, incident_a, action):
    response = web(sec_b).post(f"/kejadian/{incident_a.pk}/{action}/", {"note": "x"})
    assert response.status_code in (403, 404)
    incident_a.refresh_from_db()
    assert incident_a.status == "draft"


@pytest.mark.django_db
def test_lists_exports_and_map_of_b_never_contain_a(web, sec_b, incident_a, incident_b):
    client = web(sec_b)
    for url in [
        "/kejadian/",
        "/kejadian/?region=61.71",
        "/kejadian/?q=Sengketa",
        "/kejadian/ekspor.csv",
        "/kejadian/ekspor.csv?region=61.71",
        "/kejadian/peta/data/",
        "/kejadian/peta/data/?region=61.71",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"PENANDA-A" not in body, url
    assert xlsx_numbers(client.get("/kejadian/ekspor.xlsx")) == [incident_b.number]


@pytest.mark.django_db
def test_history_on_the_detail_page(web, sec_a, province_sec, incident_a):
    services.incident_submit(incident=incident_a, actor=sec_a)
    services.incident_return(incident=incident_a, actor=province_sec, note="Catatan PENANDA-RIWAYAT")
    page = web(sec_a).get(f"/kejadian/{incident_a.pk}/").content.decode()
    assert "Riwayat perubahan" in page
    assert page.count("Catatan PENANDA-RIWAYAT") >= 2  # the banner and the history entry


def form_post(**overrides):
    data = {
        "region": "61.71",
        "title": "Perkelahian antarkelompok pemuda",
        "occurred_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "date_precision": "day",
        "source_of_conflict": "political_economic_sociocultural",
        "people_involved": "30",
        "deaths": "0",
        "injured": "2",
        "displaced": "0",
        "buildings_damaged": "0",
        "estimated_loss": "0",
        "chronology": "Dua kelompok pemuda bentrok setelah pertandingan.",
        "stage": "handled",
        "party_name_0": "Pemuda Kampung Dalam",
        "party_kind_0": "community",
        "party_name_1": "Pemuda Tambelan Sampit",
        "party_kind_1": "community",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_filing_through_the_form(web, sec_a):
    response = web(sec_a).post("/kejadian/baru/", form_post())
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/kejadian/{incident.pk}/"
    assert [p["name"] for p in incident.parties] == ["Pemuda Kampung Dalam", "Pemuda Tambelan Sampit"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides,message",
    [
        (
            {"occurred_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "Tanggal tidak boleh di masa depan",
        ),
        ({"deaths": "-2"}, "lebih besar dari atau sama dengan 0"),
        ({"district": "61.01.01"}, "Masukkan pilihan yang valid"),
        ({"district": "61.71.02", "village": "61.71.01.1001"}, "tidak berada di kecamatan yang dipilih"),
        ({"latitude": "5.1", "longitude": "109.3"}, "Koordinat berada di luar wilayah provinsi"),
        ({"party_name_1": "", "party_kind_1": ""}, "sekurang-kurangnya dua pihak"),
        ({"source_of_conflict": "sihir"}, "Masukkan pilihan yang valid"),
        ({"region": "61.01"}, "Masukkan pilihan yang valid"),
    ],
)
def test_bad_form_input_shows_indonesian_messages_and_keeps_what_was_typed(
    web, sec_a, places, overrides, message
):
    response = web(sec_a).post("/kejadian/baru/", form_post(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Dua kelompok pemuda bentrok setelah pertandingan." in page
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_leadership_cannot_open_or_post_forms(web, leadership, incident_a):
    client = web(leadership)
    assert client.get("/kejadian/baru/").status_code == 403
    assert client.post("/kejadian/baru/", form_post()).status_code == 403
    assert client.post(f"/kejadian/{incident_a.pk}/ajukan/").status_code == 403
    assert client.get(f"/kejadian/{incident_a.pk}/").status_code == 200
    assert Incident.objects.count() == 1


@pytest.mark.django_db
def test_province_returns_with_a_note_and_regency_sees_it(web, sec_a, province_sec, incident_a):
    services.incident_submit(incident=incident_a, actor=sec_a)
    empty = web(province_sec).post(f"/kejadian/{incident_a.pk}/kembalikan/", {"note": ""})
    assert empty.status_code == 400 and "Bidang ini harus diisi" in empty.content.decode()
    web(province_sec).post(f"/kejadian/{incident_a.pk}/kembalikan/", {"note": "Lengkapi jumlah pengungsi."})
    page = web(sec_a).get(f"/kejadian/{incident_a.pk}/").content.decode()
    assert "Lengkapi jumlah pengungsi." in page and 'data-action="submit"' in page


@pytest.mark.django_db
def test_a_locked_report_has_no_edit_form(web, sec_a, incident_a):
    services.incident_submit(incident=incident_a, actor=sec_a)
    response = web(sec_a).get(f"/kejadian/{incident_a.pk}/ubah/")
    assert response.status_code == 302


@pytest.fixture
def varied(db, places):
    today = timezone.localdate()
    rows = [
        {
            "title": "Sawit A",
            "source_of_conflict": "natural_resource_dispute",
            "status": "submitted",
            "deaths": 1,
            "stage": "occurring",
        },
        {
            "title": "Tapal batas",
            "source_of_conflict": "boundary_dispute",
            "status": "verified",
            "district_id": "61.71.01",
        },
        {
            "title": "Pilkada",
            "source_of_conflict": "political_economic_sociocultural",
            "status": "draft",
            "injured": 2,
        },
        {
            "title": "Sawit B",
            "source_of_conflict": "natural_resource_dispute",
            "status": "closed",
            "stage": "resolved",
        },
    ]
    made = []
    for i, row in enumerate(rows):
        made.append(IncidentFactory(occurred_on=today - datetime.timedelta(days=10 * i), **row))
    made.append(IncidentFactory(region_id=REGION_B, title="Sambas", source_of_conflict="boundary_dispute"))
    return made


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,titles",
    [
        ("", ["Sawit A", "Tapal batas", "Pilkada", "Sawit B", "Sambas"]),
        ("region=61.71", ["Sawit A", "Tapal batas", "Pilkada", "Sawit B"]),
        ("region=61.01", ["Sambas"]),
        ("district=61.71.01", ["Tapal batas"]),
        ("source_of_conflict=natural_resource_dispute", ["Sawit A", "Sawit B"]),
        ("status=verified", ["Tapal batas"]),
        ("stage=resolved", ["Sawit B"]),
        ("with_casualties=true", ["Sawit A", "Pilkada"]),
        ("date_from={d15}", ["Sawit A", "Tapal batas", "Sambas"]),
        ("date_to={d15}", ["Pilkada", "Sawit B"]),
        ("q=sawit", ["Sawit A", "Sawit B"]),
        ("ordering=occurred_on&region=61.71", ["Sawit B", "Pilkada", "Tapal batas", "Sawit A"]),
    ],
)
def test_each_filter_and_the_exports_agree_with_the_list(web, province_sec, varied, query, titles):
    d15 = (timezone.localdate() - datetime.timedelta(days=15)).isoformat()
    query = query.format(d15=d15)
    client = web(province_sec)
    listed = numbers_on_page(client.get(f"/kejadian/?{query}"))
    by_number = {i.number: i.title for i in varied}
    if "ordering" in query:
        assert [by_number[n] for n in listed] == titles
    else:
        assert sorted(by_number[n] for n in listed) == sorted(titles)
    assert csv_numbers(client.get(f"/kejadian/ekspor.csv?{query}")) == listed
    assert xlsx_numbers(client.get(f"/kejadian/ekspor.xlsx?{query}")) == listed
    assert [r["number"] for r in client.get(f"/api/incidents/?{query}").json()["results"]] == listed


@pytest.mark.django_db
def test_csv_cells_cannot_run_as_formulas(web, sec_a):
    IncidentFactory(title='=HYPERLINK("http://evil")')
    text = b"".join(web(sec_a).get("/kejadian/ekspor.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


@pytest.mark.django_db
def test_exports_are_rate_limited(web, sec_a, settings):
    settings.KONFLIK_INCIDENT_EXPORTS_PER_MINUTE = 2
    from django.core.cache import cache

    cache.clear()
    client = web(sec_a)
    codes = [client.get("/kejadian/ekspor.csv").status_code for _ in range(3)]
    assert codes == [200, 200, 429]


@pytest.mark.django_db
def test_map_data_has_markers_for_reports_and_early_warning(web, leadership, incident_a):
    from incidents.tests.factories import PotentialFactory

    PotentialFactory(latitude="-0.05", longitude="109.30", likelihood=4, impact=4, risk_level="very_high")
    page = web(leadership).get("/kejadian/peta/").content.decode()
    assert "leaflet/leaflet.js" in page and "incidents/map.js" in page and "<script>" not in page
    markers = web(leadership).get("/kejadian/peta/data/").json()["markers"]
    assert {(m["type"], m["label"]) for m in markers} == {
        ("incident", incident_a.number),
        ("potential", "sangat tinggi"),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/kejadian/", "/kejadian/potensi/", "/kejadian/status-keadaan/", "/kejadian/peta/data/"]
)
def test_list_pages_use_a_constant_number_of_queries(web, province_sec, url, django_assert_max_num_queries):
    from incidents.tests.factories import PotentialFactory, StatusFactory

    client = web(province_sec)
    IncidentFactory.create_batch(2, latitude="-0.02", longitude="109.3")
    PotentialFactory.create_batch(2)
    StatusFactory.create_batch(2)
    client.get(url)
    # session, user, (count,) rows, active statuses, notifications badge: fixed whatever the row count
    with django_assert_max_num_queries(9):
        client.get(url)
    IncidentFactory.create_batch(30, region_id=REGION_B, latitude="1.3", longitude="109.3")
    PotentialFactory.create_batch(30, region_id=REGION_B)
    StatusFactory.create_batch(30, region_id=REGION_B)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200


ODD_QUERIES = [
    "?date_from=xx",
    "?region=';drop",
    "?page=abc",
    "?page=999",
    "?ordering=nonsense",
    "?with_casualties=maybe",
    "?q=" + "a" * 500,
    "?status=zzz",
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "base",
    [
        "/kejadian/",
        "/kejadian/ekspor.csv",
        "/kejadian/peta/data/",
        "/kejadian/potensi/",
        "/kejadian/status-keadaan/",
        "/api/incidents/",
        "/api/conflict-potentials/",
        "/api/conflict-statuses/",
    ],
)
def test_odd_query_strings_never_give_a_server_error(web, province_sec, incident_a, base):
    client = web(province_sec)
    for query in ODD_QUERIES:
        assert client.get(base + query).status_code < 500, base + query


@pytest.fixture
def search_country(db):
    """Reports with the word "sawit" in two regencies of the province, in another province's regency,
    and one without it; 30 in regency A so the list runs past its first page of 25."""
    Region.objects.get_or_create(code="62", defaults={"name": "Kalimantan Tengah", "level": "province"})
    Region.objects.get_or_create(
        code="62.01", defaults={"name": "Kabupaten Kotawaringin Barat", "level": "regency", "parent_id": "62"}
    )
    for _ in range(30):
        IncidentFactory(title="Sengketa kebun sawit")
    IncidentFactory(region_id=REGION_B, title="Sawit Sambas")
    IncidentFactory(region_id="62.01", title="Sawit tetangga")
    IncidentFactory(title="Tapal batas")


@pytest.mark.django_db
@pytest.mark.parametrize("who,expected", [("province_sec", 31), ("sec_a", 30), ("sec_b", 1)])
def test_a_search_counts_exactly_the_reports_in_scope(request, web, search_country, who, expected):
    """The count above the list, the API's `count` and the rows paged through agree, and none of them
    reaches past the user's scope (the province's count is planned through its own index key)."""
    client = web(request.getfixturevalue(who))
    page = client.get("/kejadian/?q=sawit").content.decode()
    assert f"{expected} laporan" in page
    listed = numbers_on_page(client.get("/kejadian/?q=sawit"))
    listed += numbers_on_page(client.get("/kejadian/?q=sawit&page=2"))
    assert len(listed) == len(set(listed)) == expected
    body = client.get("/api/incidents/?q=sawit").json()
    assert body["count"] == expected
    visible = set(Incident.objects.visible_to(request.getfixturevalue(who)).values_list("number", flat=True))
    assert set(listed) <= visible
    assert not any(number.startswith("62.") for number in listed)


@pytest.mark.django_db
def test_an_edited_report_is_found_by_its_new_words_only(web, sec_a, places):
    incident = services.incident_create(
        actor=sec_a, region=Region.objects.get(code=REGION_A), data=service_data()
    )
    client = web(sec_a)
    assert numbers_on_page(client.get("/kejadian/?q=plasma")) == [incident.number]
    services.incident_edit(
        actor=sec_a, incident=incident, data=service_data(chronology="Pemblokiran jalan oleh warga.")
    )
    assert numbers_on_page(client.get("/kejadian/?q=plasma")) == []
    assert numbers_on_page(client.get("/kejadian/?q=pemblokiran")) == [incident.number]


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="stems are PostgreSQL's; SQLite matches the words as typed"
)
def test_a_search_finds_the_other_forms_of_a_word(web, province_sec):
    """Indonesian builds its words with affixes: a search for the burning (pembakaran) finds the report
    that says the houses were burnt (dibakar) and the one where a mob set them alight (membakar)."""
    burnt = IncidentFactory(title="Rumah warga dibakar massa", chronology="")
    set_alight = IncidentFactory(title="Massa membakar pos jaga", chronology="")
    fought = IncidentFactory(title="Dua kelompok pemuda berkelahi", chronology="")
    IncidentFactory(title="Sengketa tapal batas", chronology="")
    client = web(province_sec)
    assert sorted(numbers_on_page(client.get("/kejadian/?q=pembakaran"))) == [burnt.number, set_alight.number]
    assert numbers_on_page(client.get("/kejadian/?q=perkelahian")) == [fought.number]
    assert client.get("/api/incidents/?q=pembakaran").json()["count"] == 2


@pytest.mark.django_db
def test_editing_offers_only_the_reports_own_districts(web, province_sec, sec_a, places):
    incident = services.incident_create(
        actor=sec_a, region=Region.objects.get(code=REGION_A), data=service_data()
    )
    page = web(province_sec).get(f"/kejadian/{incident.pk}/ubah/").content.decode()
    assert 'value="61.71.01"' in page and 'value="61.71.01.1001"' in page
    assert 'value="61.01.01"' not in page and 'value="61.01.01.2001"' not in page


@pytest.mark.django_db
def test_a_province_search_counts_alike_whole_and_sliced(province_sec, search_country):
    from django.test import RequestFactory

    from incidents.filters import IncidentFilter
    from incidents.selectors import incident_list

    request = RequestFactory().get("/kejadian/", {"q": "sawit"})
    request.user = province_sec
    found = IncidentFilter(request.GET, queryset=incident_list(user=province_sec), request=request).qs
    assert found.count() == 31
    assert found[:25].count() == 25 and found[25:].count() == 6
