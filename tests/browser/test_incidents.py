"""One journey through the real pages: a regency secretariat files a report with a photo and submits it;
the province returns it with a note; the regency corrects and resubmits; the province verifies; the
provincial leadership finds it on the map (with no tile server reachable: markers still show)."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from conftest import PASSWORD, REGION_A, make_user
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(transactional_db, kalbar_regions, settings):
    settings.KONFLIK_MAP_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # nothing listens there
    return {
        "regency": make_user("sek-a", "regency_secretariat", REGION_A),
        "province": make_user("sekprov", "province_secretariat", "61"),
        "leadership": make_user("pimpinan", "leadership", "61"),
    }


def test_file_return_resubmit_verify_and_find_on_the_map(live_server, page_for, cast, tmp_path):
    from incidents.models import Attachment, Incident

    photo = tmp_path / "lokasi.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (90, 140, 60)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    # 1. The regency secretariat files a report with a photo and submits it.
    page = page_for(viewport={"width": 390, "height": 844})  # a phone
    login(page, live_server, "sek-a", PASSWORD)
    page.goto(f"{live_server.url}/kejadian/")
    with page.expect_navigation():
        page.click("[data-action=new-incident]")
    page.fill("#id_title", "Bentrok warga di Pontianak Utara")
    page.fill("#id_occurred_on", (timezone.localdate() - datetime.timedelta(days=1)).isoformat())
    page.select_option("#id_source_of_conflict", "political_economic_sociocultural")
    page.fill("#id_latitude", "-0.0100")
    page.fill("#id_longitude", "109.3300")
    page.fill("#id_chronology", "Dua kelompok warga saling lempar batu.")
    page.fill("#id_party_name_0", "Warga Gang Merpati")
    page.select_option("#id_party_kind_0", "community")
    page.fill("#id_party_name_1", "Warga Gang Kenari")
    page.select_option("#id_party_kind_1", "community")
    page.set_input_files("#id_files", str(photo))
    with page.expect_navigation():
        page.click("[data-action=save]")
    number = page.locator("h1").get_attribute("data-number")
    assert number.startswith("61.71/")
    assert page.locator("#attachments a", has_text="lokasi.jpg").is_visible()
    with page.expect_navigation():
        page.click("[data-action=submit]")
    assert page.locator("[data-status=submitted]").first.is_visible()

    # 2. The province returns it with a note.
    incident = Incident.objects.get(number=number)
    province = page_for()
    login(province, live_server, "sekprov", PASSWORD)
    province.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    province.fill("#id_note", "Sebutkan jumlah korban luka.")
    with province.expect_navigation():
        province.click("[data-action=return]")
    assert province.locator("[data-status=returned]").first.is_visible()

    # 3. The regency sees the note, corrects the report and resubmits.
    page.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    assert "Sebutkan jumlah korban luka." in page.locator("#return-note").inner_text()
    with page.expect_navigation():
        page.click("[data-action=edit]")
    page.fill("#id_injured", "4")
    with page.expect_navigation():
        page.click("[data-action=save]")
    assert page.locator("[data-field=injured]").inner_text() == "4"
    with page.expect_navigation():
        page.click("[data-action=submit]")
    assert page.locator("[data-status=submitted]").first.is_visible()

    # 4. The province verifies.
    province.goto(f"{live_server.url}/kejadian/{incident.pk}/")
    with province.expect_navigation():
        province.click("[data-action=verify]")
    assert province.locator("[data-status=verified]").first.is_visible()

    # 5. Leadership finds it on the map, tiles or no tiles.
    leader = page_for()
    login(leader, live_server, "pimpinan", PASSWORD)
    leader.goto(f"{live_server.url}/kejadian/peta/")
    marker = leader.locator(f".marker-id-incident-{incident.pk}")
    marker.wait_for(state="visible", timeout=10_000)
    marker.click(force=True)
    popup = leader.locator(".leaflet-popup-content")
    popup.wait_for(timeout=5_000)
    assert number in popup.inner_text()
    assert leader.locator(f"#map-list tr[data-marker=incident-{incident.pk}]").is_visible()

    incident.refresh_from_db()
    assert (incident.status, incident.injured, incident.verified_by.username) == ("verified", 4, "sekprov")
    assert Attachment.objects.filter(incident=incident).count() == 1


def test_the_form_offers_only_the_chosen_regencys_districts_and_villages(live_server, page_for, cast):
    from konflik.models import Region

    for code, name, level, parent in (
        ("61.71.01", "Pontianak Selatan", "district", "61.71"),
        ("61.71.01.1001", "Benua Melayu Darat", "village", "61.71.01"),
        ("61.71.02", "Pontianak Timur", "district", "61.71"),
        ("61.71.02.1001", "Saigon", "village", "61.71.02"),
        ("61.01.01", "Sambas", "district", "61.01"),
        ("61.01.01.2001", "Lumbang", "village", "61.01.01"),
    ):
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    page = page_for()
    login(page, live_server, "sekprov", PASSWORD)
    page.goto(f"{live_server.url}/kejadian/baru/")

    def offered(select):
        return page.eval_on_selector_all(
            f"{select} option", "options => options.filter(o => o.value && !o.hidden).map(o => o.value)"
        )

    page.select_option("#id_region", "61.01")
    assert offered("#id_district") == ["61.01.01"]
    assert offered("#id_village") == ["61.01.01.2001"]
    page.select_option("#id_region", "61.71")
    assert offered("#id_district") == ["61.71.01", "61.71.02"]
    page.select_option("#id_district", "61.71.02")
    assert offered("#id_village") == ["61.71.02.1001"]
    # a district of the previous regency does not stay selected when the regency changes
    page.select_option("#id_region", "61.01")
    assert page.eval_on_selector("#id_district", "s => s.value") == ""
