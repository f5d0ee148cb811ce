"""Evidence file checks: an allowlist of types recognised by their content (magic bytes), never by
the name or the browser's content type; images re-encoded with Pillow, which drops EXIF (GPS)."""

import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PDF = ("pdf", "application/pdf")
JPEG = ("jpg", "image/jpeg")
PNG = ("png", "image/png")
DOCX = ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

MAX_IMAGE_PIXELS = 40_000_000


@dataclass
class CheckedFile:
    content: bytes
    extension: str
    content_type: str
    original_name: str

    @property
    def generated_name(self):
        return f"{uuid.uuid4().hex}.{self.extension}"


def max_file_bytes():
    return settings.KONFLIK_ACTIONPLAN_MAX_FILE_BYTES


def safe_name(name: str) -> str:
    """A display name without a path, control characters or quotes (for Content-Disposition)."""
    name = os.path.basename((name or "").replace("\\", "/"))
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[\x00-\x1f\x7f\"';]", "", name).strip(" .")
    return name[:150] or "berkas"


def _ooxml_kind(data: bytes):
    """A Word or Excel file is a ZIP with the parts of its kind; anything else is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect(data: bytes):
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    return None


def _reencode(data: bytes, kind):
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(_("Gambar terlalu besar."), code="image_too_large")
            image.load()
            fmt = "JPEG" if kind is JPEG else "PNG"
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # A fresh image without `exif=`: the metadata (camera, GPS position) is not carried over.
            image.save(out, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="image_invalid")


def check_upload(uploaded) -> CheckedFile:
    """Validate one uploaded file; raises ValidationError with an Indonesian message."""
    limit = max_file_bytes()
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (maksimum %(mb)s MB).")
            % {"name": safe_name(uploaded.name), "mb": limit // (1024 * 1024)},
            code="too_large",
        )
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(_("Berkas terlalu besar."), code="too_large")
    if not data:
        raise ValidationError(_("Berkas kosong."), code="empty")
    kind = detect(data)
    if kind is None:
        raise ValidationError(
            _("Jenis berkas %(name)s tidak diizinkan: hanya PDF, JPEG/PNG, Word (.docx) dan Excel (.xlsx).")
            % {"name": safe_name(uploaded.name)},
            code="type",
        )
    if kind in (JPEG, PNG):
        data = _reencode(data, kind)
    return CheckedFile(
        content=data, extension=kind[0], content_type=kind[1], original_name=safe_name(uploaded.name)
    )


def check_uploads(files) -> list[CheckedFile]:
    """Validate the files of one request: count and total size limits, then each file."""
    files = list(files)
    if len(files) > settings.KONFLIK_ACTIONPLAN_MAX_FILES_PER_REQUEST:
        raise ValidationError(
            _("Terlalu banyak berkas (maksimum %(n)s sekaligus).")
            % {"n": settings.KONFLIK_ACTIONPLAN_MAX_FILES_PER_REQUEST},
            code="too_many",
        )
    if sum(f.size or 0 for f in files) > settings.KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES:
        raise ValidationError(_("Ukuran seluruh berkas melebihi batas."), code="request_too_large")
    return [check_upload(f) for f in files]
