"""The upload suite, with generated samples, on every upload endpoint (HTML and API): oversize, HTML, SVG
and polyglot files are refused and nothing is stored; a JPEG's GPS EXIF is gone after re-encoding; a
`../` name never reaches the file system; stored files are served only as downloads (attachment,
nosniff, no-store) and another regency gets 404.
"""

import io
import os
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from actionplans.models import Evidence
from incidents.models import Attachment
from teams.models import MinutesAttachment

from .world import PDF, build_world

pytestmark = pytest.mark.django_db

LIMIT = 64 * 1024


def jpeg_with_gps():
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    gps = {1: "S", 2: (0.0, 1.0, 34.68), 3: "E", 4: (109.0, 20.0, 33.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the sample really carries GPS
    return data


def jpeg_held_upright():
    """A phone photo taken upright: the sensor's 64×48 pixels, red on the left half and blue on the
    right, with EXIF orientation 6 ("turn 90° clockwise to view"), so that it shows 48 wide and 64
    high, red above blue."""
    image = Image.new("RGB", (64, 48), (220, 0, 0))
    image.paste((0, 0, 220), (32, 0, 64, 48))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
REFUSED = {
    "oversize.pdf": PDF + b"%" + b"A" * (LIMIT + 10),
    "page.html": HTML,
    "page.pdf": HTML,  # a lying name
    "drawing.svg": SVG,
    "drawing.png": SVG,
    "polyglot.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML,  # JPEG magic, HTML body
    "polyglot.png": b"\x89PNG\r\n\x1a\n" + HTML,
    "empty.pdf": b"",
}


@dataclass
class Endpoint:
    name: str
    model: type
    field: str
    api: bool

    def url(self, a):
        return {
            "minutes": f"/tim/rapat/{a.meeting.pk}/notulen/",
            "minutes_api": f"/api/meetings/{a.meeting.pk}/attachments/",
            "incident_html": f"/kejadian/{a.incident.pk}/lampiran/",
            "incident_api": f"/api/incidents/{a.incident.pk}/attachments/",
            "evidence_api": f"/api/realisations/{a.realisation.pk}/evidence/",
        }[self.name]

    def download(self, row):
        if isinstance(row, MinutesAttachment):
            return f"/tim/rapat/{row.meeting_id}/lampiran/{row.pk}/"
        if isinstance(row, Attachment):
            return f"/kejadian/lampiran/{row.pk}/unduh/"
        return f"/rencana-aksi/data-dukung/{row.pk}/unduh/"


ENDPOINTS = [
    Endpoint("minutes", MinutesAttachment, "file", api=False),
    Endpoint("minutes_api", MinutesAttachment, "file", api=True),
    Endpoint("incident_html", Attachment, "files", api=False),
    Endpoint("incident_api", Attachment, "files", api=True),
    Endpoint("evidence_api", Evidence, "files", api=True),
]


@pytest.fixture
def world(sec_a, sec_b, province_sec, member_a, settings):
    settings.KONFLIK_TEAMS_MAX_FILE_BYTES = LIMIT
    settings.KONFLIK_INCIDENT_MAX_FILE_BYTES = LIMIT
    settings.KONFLIK_ACTIONPLAN_MAX_FILE_BYTES = LIMIT
    return build_world({"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a})


def upload(client, endpoint, url, name, data):
    payload = {endpoint.field: SimpleUploadedFile(name, data, content_type="application/octet-stream")}
    return client.post(url, payload, format="multipart") if endpoint.api else client.post(url, payload)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_dangerous_files_are_refused_and_nothing_is_stored(endpoint, world, sec_a, api, web, settings):
    client = api(sec_a) if endpoint.api else web(sec_a)
    url = endpoint.url(world["A"])
    before = endpoint.model.objects.count()
    files_before = sorted(p for p in _media_files(settings))
    for name, data in REFUSED.items():
        response = upload(client, endpoint, url, name, data)
        assert response.status_code in (200, 302, 400), (name, response.status_code)
        assert endpoint.model.objects.count() == before, name
    assert sorted(_media_files(settings)) == files_before


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_jpeg_gps_is_stripped_and_names_are_generated(endpoint, world, sec_a, sec_b, api, web, settings):
    client = api(sec_a) if endpoint.api else web(sec_a)
    before = set(endpoint.model.objects.values_list("pk", flat=True))
    response = upload(
        client, endpoint, endpoint.url(world["A"]), "../../../etc/cron.d/x.jpg", jpeg_with_gps()
    )
    assert response.status_code in (200, 201, 302), response.status_code
    row = endpoint.model.objects.exclude(pk__in=before).get()
    stored = row.file.path
    assert os.path.realpath(stored).startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
    assert ".." not in row.file.name and "cron" not in row.file.name
    assert "/" not in row.original_name and ".." not in row.original_name
    with open(stored, "rb") as handle:
        data = handle.read()
    image = Image.open(io.BytesIO(data))
    assert not image.getexif().get_ifd(0x8825) and b"KameraRahasia" not in data

    download = web(sec_a).get(endpoint.download(row))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == data
    assert web(sec_b).get(endpoint.download(row)).status_code == 404
    assert web().get(endpoint.download(row)).status_code == 302


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_a_phone_photo_is_stored_upright_on_every_path(endpoint, world, sec_a, api, web):
    """Re-encoding drops the EXIF orientation tag, so every path must turn the pixels first (only the
    incident path did: a photo's orientation depended on where it was uploaded)."""
    client = api(sec_a) if endpoint.api else web(sec_a)
    before = set(endpoint.model.objects.values_list("pk", flat=True))
    response = upload(client, endpoint, endpoint.url(world["A"]), "foto.jpg", jpeg_held_upright())
    assert response.status_code in (200, 201, 302), response.status_code
    row = endpoint.model.objects.exclude(pk__in=before).get()
    with Image.open(row.file.path) as image:
        assert image.size == (48, 64)  # upright, as the phone showed it
        assert image.getexif().get(0x0112, 1) == 1  # and no tag left to turn it again
        top, bottom = image.convert("RGB").getpixel((24, 8)), image.convert("RGB").getpixel((24, 56))
    assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red above blue


def test_too_many_bytes_in_one_request_are_refused(world, sec_a, api, settings):
    settings.KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES = LIMIT
    settings.KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES = LIMIT
    half = PDF + b"%" + b"A" * (LIMIT // 2)
    for url, model in (
        (f"/api/incidents/{world['A'].incident.pk}/attachments/", Attachment),
        (f"/api/realisations/{world['A'].realisation.pk}/evidence/", Evidence),
    ):
        before = model.objects.count()
        files = [SimpleUploadedFile(f"{i}.pdf", half) for i in range(3)]
        assert api(sec_a).post(url, {"files": files}, format="multipart").status_code == 400
        assert model.objects.count() == before


def _media_files(settings):
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            yield os.path.join(root, name)


def pixel_bomb():
    """A 6 KB PNG that decodes to 49 million pixels (over the 40 million an upload may have)."""
    out = io.BytesIO()
    Image.new("1", (7000, 7000)).save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_an_image_of_too_many_pixels_is_refused_with_a_message(endpoint, world, sec_a, api, web, settings):
    """Every upload path checks the pixel count itself (not through Pillow's process-wide limit, which
    one app used to lower for all)."""
    client = api(sec_a) if endpoint.api else web(sec_a)
    before = endpoint.model.objects.count()
    files_before = sorted(_media_files(settings))
    response = upload(client, endpoint, endpoint.url(world["A"]), "peta.png", pixel_bomb())
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 302:  # the minutes page shows its errors after the redirect
        response = client.get(response["Location"])
    assert "Gambar terlalu besar" in response.content.decode()
    assert endpoint.model.objects.count() == before
    assert sorted(_media_files(settings)) == files_before
