"""Uploads: type by content, sizes, EXIF GPS stripped, generated names, permission-checked download."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from incidents import services
from incidents.models import Attachment

GPS_IFD = 0x8825


def jpeg_with_gps(size=(64, 48)):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraPonsel"  # Make
    exif[GPS_IFD] = {1: "S", 2: (0.0, 1.0, 34.0), 3: "E", 4: (109.0, 20.0, 33.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.django_db
def test_a_jpeg_loses_its_gps_exif(sec_a, incident_a):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the sample really carries GPS
    (attachment,) = services.incident_add_attachments(
        incident=incident_a, actor=sec_a, files=[upload("foto lokasi.jpg", original)]
    )
    stored = attachment.file.read()
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif().get_ifd(GPS_IFD)
    assert b"KameraPonsel" not in stored
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "foto lokasi.jpg"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,content",
    [
        ("foto.jpg", b"<!doctype html><html><script>alert(1)</script></html>"),
        ("gambar.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("laporan.pdf.html", b"<html><body>bukan pdf</body></html>"),
        ("arsip.zip", b"PK\x03\x04" + b"\x00" * 40),
    ],
)
def test_disguised_and_disallowed_files_are_refused(api, sec_a, incident_a, name, content):
    response = api(sec_a).post(
        f"/api/incidents/{incident_a.pk}/attachments/", {"files": [upload(name, content)]}, format="multipart"
    )
    assert response.status_code == 400
    assert "tidak diizinkan" in response.json()["files"][0]
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_a_polyglot_jpeg_with_html_is_re_encoded(sec_a, incident_a):
    payload = jpeg_with_gps() + b"<html><script>alert(1)</script></html>"
    (attachment,) = services.incident_add_attachments(
        incident=incident_a, actor=sec_a, files=[upload("x.jpg", payload)]
    )
    assert b"<script>" not in attachment.file.read()


@pytest.mark.django_db
def test_oversize_files_and_requests_are_refused(api, sec_a, incident_a, settings):
    settings.KONFLIK_INCIDENT_MAX_FILE_BYTES = 2000
    big = upload("besar.pdf", b"%PDF-1.4\n" + b"0" * 3000, "application/pdf")
    response = api(sec_a).post(
        f"/api/incidents/{incident_a.pk}/attachments/", {"files": [big]}, format="multipart"
    )
    assert response.status_code == 400 and "terlalu besar" in response.json()["files"][0]
    settings.KONFLIK_INCIDENT_MAX_FILE_BYTES = 10_000
    settings.KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES = 5000
    files = [upload(f"d{i}.pdf", b"%PDF-1.4\n" + b"0" * 1900, "application/pdf") for i in range(3)]
    response = api(sec_a).post(
        f"/api/incidents/{incident_a.pk}/attachments/", {"files": files}, format="multipart"
    )
    assert response.status_code == 400 and "Jumlah ukuran" in response.json()["files"][0]
    assert Attachment.objects.count() == 0


@pytest.mark.django_db
def test_a_dot_dot_name_is_only_a_label(sec_a, incident_a, settings, tmp_path):
    (attachment,) = services.incident_add_attachments(
        incident=incident_a,
        actor=sec_a,
        files=[upload("../../../etc/passwd.pdf", b"%PDF-1.4\nisi", "application/pdf")],
    )
    assert attachment.original_name == "passwd.pdf"
    assert attachment.file.name.startswith("incidents/") and ".." not in attachment.file.name
    assert attachment.file.name.endswith(".pdf") and "passwd" not in attachment.file.name
    assert (
        (settings.MEDIA_ROOT / attachment.file.name).resolve().is_relative_to(settings.MEDIA_ROOT.resolve())
    )


@pytest.mark.django_db
def test_download_is_permission_checked_and_never_rendered(web, sec_a, sec_b, leadership, incident_a):
    (attachment,) = services.incident_add_attachments(
        incident=incident_a, actor=sec_a, files=[upload("notulen.pdf", b"%PDF-1.4\nisi", "application/pdf")]
    )
    url = f"/kejadian/lampiran/{attachment.pk}/unduh/"
    response = web(leadership).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4\nisi"
    assert web(sec_b).get(url).status_code == 404
    assert web().get(url).status_code == 302  # anonymous: to the login page
    assert web(sec_b).get(f"/api/incidents/{incident_a.pk}/attachments/").status_code == 404


@pytest.mark.django_db
def test_a_photo_filed_with_the_form_is_attached(web, sec_a):
    from incidents.tests.test_views import form_post

    data = form_post()
    data["files"] = [upload("tkp.jpg", jpeg_with_gps())]
    response = web(sec_a).post("/kejadian/baru/", data)
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "tkp.jpg"


@pytest.mark.django_db
def test_a_bad_file_in_the_form_keeps_the_report_unsaved_and_the_text_typed(web, sec_a):
    from incidents.models import Incident
    from incidents.tests.test_views import form_post

    data = form_post()
    data["files"] = [upload("tkp.jpg", b"<html>bukan foto</html>")]
    response = web(sec_a).post("/kejadian/baru/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "tidak diizinkan" in page and "Dua kelompok pemuda bentrok" in page
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_files_after_submission_only_through_an_update(api, sec_a, province_sec, incident_a):
    services.incident_submit(incident=incident_a, actor=sec_a)
    pdf = upload("a.pdf", b"%PDF-1.4\nx", "application/pdf")
    response = api(sec_a).post(
        f"/api/incidents/{incident_a.pk}/attachments/", {"files": [pdf]}, format="multipart"
    )
    assert response.status_code == 400
    services.incident_verify(incident=incident_a, actor=province_sec)
    update = services.incident_add_update(
        incident=incident_a,
        actor=sec_a,
        data={"description": "Foto terbaru."},
        files=[upload("b.jpg", jpeg_with_gps())],
    )
    assert update.attachments.count() == 1
