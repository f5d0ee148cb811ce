"""The B04 journey in a real browser: the regency secretariat enters its realisation with an
evidence file and submits; the province returns it with a note; the regency corrects and resubmits;
the province accepts; the plan matrix shows the achievement."""

from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import PASSWORD, make_user
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey(transactional_db, kalbar_regions, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from actionplans import services
    from teams.models import Team

    regency = make_user("sek-kota", "regency_secretariat", "61.71")
    make_user("sek-provinsi", "province_secretariat", "61")
    team = Team.objects.create(region_id="61.71", name="Tim Terpadu Kota Pontianak")
    plan = services.plan_create(actor=regency, team=team, year=timezone.localdate().year)
    activity = services.activity_create(
        actor=regency,
        plan=plan,
        strategy="prevention",
        sub_type="prevention_early_warning",
        title="Pemetaan wilayah potensi konflik",
        indicator="Kecamatan terpetakan",
        unit="kecamatan",
        target_b04=Decimal(10),
    )
    return plan, activity


def test_b04_realisation_returned_corrected_and_accepted(live_server, page_for, journey, tmp_path):
    plan, activity = journey
    evidence = tmp_path / "daftar-hadir.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    matrix_url = f"{live_server.url}/rencana-aksi/{plan.pk}/"

    # the regency enters B04 with an evidence file and submits
    regency = page_for()
    login(regency, live_server, "sek-kota", PASSWORD)
    regency.goto(matrix_url)
    with regency.expect_navigation():
        regency.click(f'tr[data-activity="{activity.pk}"] td[data-period="B04"] a[data-action=enter]')
    regency.fill("#id_value", "6")
    regency.fill("#id_narrative", "Enam kecamatan dipetakan bersama FKDM.")
    regency.set_input_files("#id_evidence_files", str(evidence))
    with regency.expect_navigation():
        regency.click("form[data-form=realisation] button[type=submit]")
    assert regency.locator("[data-evidence] a", has_text="daftar-hadir.pdf").is_visible()
    assert regency.locator("[data-achievement]").inner_text() == "60,00%"
    with regency.expect_navigation():
        regency.click("button[data-action=submit]")
    assert regency.locator("[data-realisation-status=submitted]").is_visible()
    realisation_url = regency.url

    # the province returns it with a note
    province = page_for()
    login(province, live_server, "sek-provinsi", PASSWORD)
    province.goto(f"{live_server.url}/rencana-aksi/realisasi/?status=submitted")
    with province.expect_navigation():
        province.click(f"table[data-table=realisations] a:has-text('{activity.title}')")
    province.fill(
        "#id_note", "Lampirkan peta hasil pemetaan; target enam dari sepuluh kecamatan perlu dijelaskan."
    )
    with province.expect_navigation():
        province.click("button[data-action=return]")
    assert province.locator("[data-realisation-status=returned]").is_visible()

    # the regency sees the note, corrects and resubmits
    regency.goto(realisation_url)
    assert "Lampirkan peta hasil pemetaan" in regency.locator("[data-review-note]").inner_text()
    regency.fill("#id_value", "10")
    regency.fill("#id_obstacles", "Dua kecamatan menyusul pada awal Mei.")
    with regency.expect_navigation():
        regency.click("form[data-form=realisation] button[type=submit]")
    with regency.expect_navigation():
        regency.click("button[data-action=submit]")
    assert regency.locator("[data-realisation-status=submitted]").is_visible()

    # the province accepts
    province.goto(realisation_url)
    with province.expect_navigation():
        province.click("button[data-action=accept]")
    assert province.locator("[data-realisation-status=accepted]").is_visible()

    # the matrix shows the achievement, per activity, per strategy and overall
    regency.goto(matrix_url)
    cell = regency.locator(f'tr[data-activity="{activity.pk}"] td[data-period="B04"]')
    assert "100,00%" in cell.inner_text()
    assert "Diterima" in cell.inner_text()
    prevention = regency.locator('tr[data-summary="prevention"] td[data-period-achievement]').first
    overall = regency.locator('tr[data-summary="overall"] td[data-period-achievement]').first
    assert prevention.inner_text() == "100,00%" and overall.inner_text() == "100,00%"
