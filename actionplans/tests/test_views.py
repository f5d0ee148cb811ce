"""HTML pages: scope on every page (404), roles (403), forms with Indonesian messages, evidence
uploads and downloads, the matrix's query count."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from actionplans import services
from actionplans.models import Activity, Evidence, Realisation

from . import factories as f


@pytest.fixture
def realisation_a(sec_a, activity_a):
    return services.realisation_create(actor=sec_a, activity=activity_a, period="B04", value=5)


@pytest.fixture
def realisation_b(sec_b, activity_b):
    return services.realisation_create(actor=sec_b, activity=activity_b, period="B04", value=5)


def _pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n", content_type="application/pdf")


def _jpeg_with_gps():
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "N", 2: (0.0, 1.0, 2.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return SimpleUploadedFile("../../foto.jpg", out.getvalue(), content_type="image/jpeg")


def _object_urls(plan, activity, realisation, evidence=None):
    urls = [
        reverse("actionplans:detail", args=[plan.pk]),
        reverse("actionplans:export", args=[plan.pk]),
        reverse("actionplans:update", args=[plan.pk]),
        reverse("actionplans:import", args=[plan.pk]),
        reverse("actionplans:activity_create", args=[plan.pk]),
        reverse("actionplans:activity_update", args=[activity.pk]),
        reverse("actionplans:realisation", args=[realisation.pk]),
        reverse("actionplans:realisation_start", args=[activity.pk, "B08"]),
    ]
    if evidence is not None:
        urls.append(reverse("actionplans:evidence_download", args=[evidence.pk]))
    return urls


def test_every_page_of_another_region_is_404(web, sec_a, sec_b, plan_b, activity_b, realisation_b):
    [evidence] = services.evidence_add(
        actor=sec_b,
        realisation=realisation_b,
        files=__import__("actionplans.uploads").uploads.check_uploads([_pdf()]),
    )
    client = web(sec_a)
    for url in _object_urls(plan_b, activity_b, realisation_b, evidence):
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("actionplans:approve", args=[plan_b.pk]),
        reverse("actionplans:copy", args=[plan_b.pk]),
        reverse("actionplans:delete", args=[plan_b.pk]),
        reverse("actionplans:activity_delete", args=[activity_b.pk]),
        reverse("actionplans:submit", args=[realisation_b.pk]),
        reverse("actionplans:evidence_delete", args=[evidence.pk]),
        reverse("actionplans:realisation", args=[realisation_b.pk]),
    ]
    for url in posts:
        assert client.post(url, {"value": "1", "year": 2027}).status_code == 404, url
    realisation_b.refresh_from_db()
    assert (realisation_b.status, realisation_b.value) == ("draft", Decimal(5))


def test_own_pages_open_for_secretariat_and_leadership(
    web, sec_a, leadership_a, plan_a, activity_a, realisation_a
):
    for user in (sec_a, leadership_a):
        client = web(user)
        for url in [
            reverse("actionplans:list"),
            reverse("actionplans:detail", args=[plan_a.pk]),
            reverse("actionplans:export", args=[plan_a.pk]),
            reverse("actionplans:realisation", args=[realisation_a.pk]),
            reverse("actionplans:realisations"),
            reverse("actionplans:due"),
            reverse("actionplans:submissions"),
        ]:
            assert client.get(url).status_code == 200, (user, url)


def test_lists_and_tables_never_show_another_region(
    web, sec_a, plan_a, plan_b, activity_a, activity_b, realisation_a, realisation_b
):
    client = web(sec_a)
    for url in [
        reverse("actionplans:list") + "?region=61.01",
        reverse("actionplans:list"),
        reverse("actionplans:realisations") + f"?team={plan_b.team_id}",
        reverse("actionplans:realisations"),
        reverse("actionplans:due") + "?period=B04",
        reverse("actionplans:submissions"),
    ]:
        page = client.get(url).content.decode()
        assert "Patroli gabungan Sambas" not in page and "Tim 61.01" not in page, url


def test_leadership_and_members_get_403_on_writes(
    web, leadership, member_a, plan_a, activity_a, realisation_a
):
    for user in (leadership, member_a):
        client = web(user)
        for url in [
            reverse("actionplans:create"),
            reverse("actionplans:approve", args=[plan_a.pk]),
            reverse("actionplans:import", args=[plan_a.pk]),
            reverse("actionplans:activity_update", args=[activity_a.pk]),
            reverse("actionplans:submit", args=[realisation_a.pk]),
            reverse("actionplans:accept", args=[realisation_a.pk]),
            reverse("actionplans:return", args=[realisation_a.pk]),
            reverse("actionplans:realisation", args=[realisation_a.pk]),
        ]:
            assert client.post(url, {"note": "x", "value": "1"}).status_code == 403, (user, url)
    assert web(member_a).get(reverse("actionplans:list")).status_code == 403
    assert (
        web(leadership).get(reverse("actionplans:realisation_start", args=[activity_a.pk, "B08"])).status_code
        == 403
    )


def test_anonymous_goes_to_login(client, plan_a):
    response = client.get(reverse("actionplans:detail", args=[plan_a.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_regency_cannot_accept_its_own_through_the_page(web, sec_a, realisation_a):
    services.realisation_submit(actor=sec_a, realisation=realisation_a)
    assert web(sec_a).post(reverse("actionplans:accept", args=[realisation_a.pk])).status_code == 403
    realisation_a.refresh_from_db()
    assert realisation_a.status == "submitted"


def test_plan_and_activity_forms(web, sec_a, mid_year):
    team = f.team_for("61.71")
    client = web(sec_a)
    response = client.post(reverse("actionplans:create"), {"team": team.pk, "year": 2026})
    plan = team.action_plans.get()
    assert response["Location"] == reverse("actionplans:detail", args=[plan.pk])
    again = client.post(reverse("actionplans:create"), {"team": team.pk, "year": 2026})
    assert again.status_code == 200 and "sudah memiliki rencana aksi" in again.content.decode()
    url = reverse("actionplans:activity_create", args=[plan.pk])
    bad = client.post(
        url, {"strategy": "recovery", "sub_type": "prevention_peace", "title": "", "target_b04": "-3"}
    )
    page = bad.content.decode()
    assert bad.status_code == 200 and "Bidang ini harus diisi" in page and "Sub-lingkup tidak sesuai" in page
    assert "lebih besar dari atau sama dengan 0" in page
    ok = client.post(
        url, {"strategy": "prevention", "sub_type": "prevention_peace", "title": "Dialog", "target_b04": "4"}
    )
    assert ok.status_code == 302
    assert Activity.objects.get(plan=plan).position == 1


def test_realisation_page_flow_with_evidence(web, sec_a, province_sec, activity_a, settings):
    client = web(sec_a)
    start = reverse("actionplans:realisation_start", args=[activity_a.pk, "B04"])
    assert client.get(start).status_code == 200
    response = client.post(
        start, {"value": "7", "narrative": "Terlaksana", "evidence_files": [_pdf(), _jpeg_with_gps()]}
    )
    realisation = Realisation.objects.get(activity=activity_a, period="B04")
    assert response["Location"] == reverse("actionplans:realisation", args=[realisation.pk])
    assert realisation.achievement == Decimal("70.00")
    pdf, jpg = realisation.evidence.order_by("id")
    assert jpg.original_name == "foto.jpg" and jpg.file.name.startswith("actionplans/evidence/")
    assert "foto" not in jpg.file.name  # generated names
    stored = Image.open(jpg.file.path)
    assert not stored.getexif()  # EXIF (camera, GPS) dropped by re-encoding
    download = client.get(reverse("actionplans:evidence_download", args=[pdf.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Type"] == "application/pdf"
    # submit, return with a note, fix, resubmit, accept
    client.post(reverse("actionplans:submit", args=[realisation.pk]))
    province = web(province_sec)
    province.post(reverse("actionplans:return", args=[realisation.pk]), {"note": "Foto kurang jelas"})
    realisation.refresh_from_db()
    assert (realisation.status, realisation.review_note) == ("returned", "Foto kurang jelas")
    assert (
        "Foto kurang jelas"
        in client.get(reverse("actionplans:realisation", args=[realisation.pk])).content.decode()
    )
    client.post(reverse("actionplans:realisation", args=[realisation.pk]), {"value": "10"})
    client.post(reverse("actionplans:submit", args=[realisation.pk]))
    province.post(reverse("actionplans:accept", args=[realisation.pk]))
    realisation.refresh_from_db()
    assert (realisation.status, realisation.achievement) == ("accepted", Decimal("100.00"))
    page = client.get(reverse("actionplans:realisation", args=[realisation.pk])).content.decode()
    assert "Riwayat perubahan" in page and "accept" in page


@pytest.mark.parametrize(
    "name,content",
    [
        ("halaman.html", b"<!doctype html><script>alert(1)</script>"),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("palsu.pdf", b"GIF89a%PDF-1.4 polyglot"),
        ("arsip.docx", b"PK\x03\x04 not really a zip"),
        ("rusak.jpg", b"\xff\xd8\xff\xe0 broken jpeg"),
        ("kosong.pdf", b""),
    ],
)
def test_bad_evidence_is_refused_with_a_message(web, sec_a, realisation_a, name, content):
    response = web(sec_a).post(
        reverse("actionplans:realisation", args=[realisation_a.pk]),
        {"value": "5", "evidence_files": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_oversize_evidence_is_refused(web, sec_a, realisation_a, settings):
    settings.KONFLIK_ACTIONPLAN_MAX_FILE_BYTES = 100
    response = web(sec_a).post(
        reverse("actionplans:realisation", args=[realisation_a.pk]),
        {"value": "5", "evidence_files": [SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * 200)]},
    )
    assert "terlalu besar" in response.content.decode()
    assert not Evidence.objects.exists()


def test_docx_and_xlsx_are_accepted(sec_a, realisation_a):
    import zipfile

    from actionplans import uploads

    def ooxml(part):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr(part, "<x/>")
        return out.getvalue()

    docx = uploads.check_upload(SimpleUploadedFile("a.docx", ooxml("word/document.xml")))
    xlsx = uploads.check_upload(SimpleUploadedFile("a.xlsx", ooxml("xl/workbook.xml")))
    assert (docx.extension, xlsx.extension) == ("docx", "xlsx")
    with pytest.raises(Exception):  # a ZIP without the parts of a Word/Excel file
        uploads.check_upload(SimpleUploadedFile("a.docx", ooxml("evil.html")))


def test_matrix_page_shows_achievement_and_keeps_query_count(
    web, sec_a, province_sec, plan_a, django_assert_max_num_queries
):
    client = web(sec_a)

    def add(n):
        for i in range(n):
            inst = f.institution("61.71", f"Instansi {Activity.objects.count()}")
            a = f.activity(
                sec_a,
                plan_a,
                title=f"Kegiatan {i}",
                responsible_institution=inst,
                related_institutions=[inst],
            )
            r = services.realisation_create(actor=sec_a, activity=a, period="B04", value=5)
            services.realisation_submit(actor=sec_a, realisation=r)
            services.realisation_accept(actor=province_sec, realisation=r)

    url = reverse("actionplans:detail", args=[plan_a.pk])
    add(2)
    # session, user, plan, activities, related institutions, realisations, evidence, history (+actor),
    # unread notifications
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert 'data-summary="prevention"' in page and "50,00%" in page  # 5 of 10 each, Indonesian decimal comma
    add(10)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_due_page_lists_what_is_due_and_overdue(web, sec_a, plan_a, activity_a):
    page = web(sec_a).get(reverse("actionplans:due")).content.decode()
    assert "B.08" in page and activity_a.title in page and "data-overdue" in page  # B04 overdue


def test_submission_table_page(web, province_sec, sec_a, plan_a, activity_a, plan_b):
    page = web(province_sec).get(reverse("actionplans:submissions") + "?year=2026").content.decode()
    assert 'data-region="61.71"' in page and 'data-region="61.01"' in page
    assert 'data-state="missing"' in page  # B04 deadline passed without a report


def test_plan_delete_and_copy_pages(web, sec_a, plan_a, mid_year):
    client = web(sec_a)
    f.activity(sec_a, plan_a)
    response = client.post(reverse("actionplans:copy", args=[plan_a.pk]), {"year": 2027})
    new = plan_a.team.action_plans.get(year=2027)
    assert response["Location"] == reverse("actionplans:detail", args=[new.pk])
    assert new.activities.count() == 1
    client.post(reverse("actionplans:delete", args=[plan_a.pk]))  # has an activity but no realisation
    assert not plan_a.team.action_plans.filter(year=2026).exists()


def test_pages_speak_english_on_request(web, sec_a, plan_a, activity_a):
    client = web(sec_a)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("actionplans:detail", args=[plan_a.pk])).content.decode()
    assert "Overall achievement" in page and "Conflict prevention" in page


@pytest.mark.parametrize(
    "url",
    [
        "/rencana-aksi/?year=abc&status=nope&team=x&region=%00",
        "/rencana-aksi/realisasi/?period=B99&strategy=x&on_time=maybe&page=999",
        "/rencana-aksi/jatuh-tempo/?year=99999999999999999999&period=B05",
        "/rencana-aksi/pengiriman/?year=-5",
        "/rencana-aksi/1/?strategy=nope&period=Z",
        "/api/action-plans/?year=abc&team=x",
        "/api/activities/?period=B99&is_national=maybe",
        "/api/realisations/?on_time=x&page=abc&page_size=100000&ordering=nope",
    ],
)
def test_odd_query_strings_never_500(web, api, sec_a, plan_a, url):
    client = api(sec_a) if url.startswith("/api/") else web(sec_a)
    assert client.get(url).status_code in (200, 400, 404)


def test_odd_bodies_never_500(api, web, sec_a, plan_a, activity_a):
    client = api(sec_a)
    bodies = [
        ("/api/action-plans/", {"team": "x", "year": "abc"}),
        ("/api/action-plans/", {"team": None, "year": 99999}),
        ("/api/activities/", {"plan": plan_a.pk, "strategy": ["a"], "related_institutions": "x"}),
        ("/api/activities/", {"plan": plan_a.pk, "target_b04": "NaN", "budget": "Infinity"}),
        ("/api/realisations/", {"activity": activity_a.pk, "period": "B04", "value": "1e400"}),
        (f"/api/action-plans/{plan_a.pk}/approve/", {"approved_on": "kemarin"}),
        (f"/api/action-plans/{plan_a.pk}/copy/", {"year": "x"}),
    ]
    for url, body in bodies:
        assert client.post(url, body, format="json").status_code == 400, (url, body)
    page = web(sec_a)
    assert (
        page.post(reverse("actionplans:approve", args=[plan_a.pk]), {"approved_on": "x"}).status_code == 302
    )
    assert page.post(reverse("actionplans:copy", args=[plan_a.pk]), {"year": "x"}).status_code == 302
    assert (
        page.post(
            reverse("actionplans:activity_update", args=[activity_a.pk]), {"target_b04": "1e400"}
        ).status_code
        == 200
    )
