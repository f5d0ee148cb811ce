"""The upload policy itself (`konflik.uploads.UploadPolicy`): the per-path behaviour is pinned on
every endpoint by `tests/security/test_uploads.py`; here, what a declaration decides."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from konflik import uploads

POLICY = uploads.UploadPolicy(
    folder="uji/%Y",
    allowed_types=(uploads.PDF, uploads.PNG),
    max_file_setting="KONFLIK_TEAMS_MAX_FILE_BYTES",
    messages={"type": ("Bukan PDF atau PNG: %(name)s.", "type")},
)


def png(size=(8, 4)):
    out = io.BytesIO()
    Image.new("RGB", size, (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "name,extension,label",
    [
        ("../../etc/passwd.pdf", "pdf", "passwd.pdf"),
        ("C:\\Users\\sekretariat\\notulen rapat.pdf", "pdf", "notulen rapat.pdf"),
        ('laporan";x=1.pdf', "pdf", "laporanx=1.pdf"),  # cannot end a Content-Disposition parameter
        ("foto.jpeg", "png", "foto.png"),  # the label names the type the content has
        ("....", "pdf", "berkas.pdf"),
        ("", None, "berkas"),
        ("a" * 300 + ".pdf", "pdf", "a" * 146 + ".pdf"),
    ],
)
def test_a_display_name_is_only_a_label(name, extension, label):
    assert uploads.display_name(name, extension) == label


def test_a_policy_checks_by_content_with_its_own_messages_and_the_defaults(settings):
    settings.KONFLIK_TEAMS_MAX_FILE_BYTES = 1000
    clean = POLICY.clean(SimpleUploadedFile("peta.jpg", png()))  # a PNG named .jpg
    assert (clean.content_type, clean.original_name) == (uploads.PNG, "peta.png")
    with pytest.raises(ValidationError, match="Bukan PDF atau PNG: x.html"):
        POLICY.clean(SimpleUploadedFile("x.html", b"<html></html>"))
    with pytest.raises(ValidationError, match="besar.pdf terlalu besar: paling besar 0 MB"):
        POLICY.clean(SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * 2000))


def test_without_request_limits_a_request_carries_one_file(settings):
    settings.KONFLIK_TEAMS_MAX_FILE_BYTES = 1000
    assert len(POLICY.clean_all([SimpleUploadedFile("a.png", png())])) == 1
    with pytest.raises(ValidationError, match="Paling banyak 1 berkas"):
        POLICY.clean_all([SimpleUploadedFile("a.png", png()), SimpleUploadedFile("b.png", png())])


@pytest.mark.django_db
def test_files_are_stored_under_generated_names_in_the_policy_folder(settings):
    settings.KONFLIK_TEAMS_MAX_FILE_BYTES = 1000
    name = POLICY.store(POLICY.clean(SimpleUploadedFile("../../rahasia.pdf", b"%PDF-1.4 isi")))
    folder, year, stored = name.split("/")
    assert folder == "uji" and year.isdigit() and stored.endswith(".pdf") and "rahasia" not in stored
    assert (settings.MEDIA_ROOT / name).read_bytes() == b"%PDF-1.4 isi"
