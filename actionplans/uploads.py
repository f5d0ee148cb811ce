"""Evidence file checks: an allowlist of types recognised by their content (magic bytes), never by
the name or the browser's content type; images re-encoded with Pillow, which drops EXIF (GPS).
The checks themselves live in `konflik.uploads`."""

import io
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from konflik import uploads as core

PDF = ("pdf", core.PDF)
JPEG = ("jpg", core.JPEG)
PNG = ("png", core.PNG)
DOCX = ("docx", core.DOCX)
XLSX = ("xlsx", core.XLSX)
_KINDS = {kind[1]: kind for kind in (PDF, JPEG, PNG, DOCX, XLSX)}


CheckedFile = core.CleanFile


def max_file_bytes():
    return settings.KONFLIK_ACTIONPLAN_MAX_FILE_BYTES


def safe_name(name: str) -> str:
    """A display name without a path, control characters or quotes (for Content-Disposition)."""
    name = unicodedata.normalize("NFKC", core.basename(name))
    name = re.sub(r"[\x00-\x1f\x7f\"';]", "", name).strip(" .")
    return name[:150] or "berkas"


def detect(data: bytes):
    """The `(extension, content type)` kind of `data`, or None when it is not allowed."""
    return _KINDS.get(core.sniff(data, _KINDS))


def _reencode(data: bytes, content_type: str) -> bytes:
    try:
        with core.open_image(data) as image:
            image.load()
            fmt = "JPEG" if content_type == core.JPEG else "PNG"
            if fmt == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # A fresh image without `exif=`: the metadata (camera, GPS position) is not carried over.
            image.save(out, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
            return out.getvalue()
    except core.ImageTooLarge:
        raise ValidationError(_("Gambar terlalu besar."), code="image_too_large")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="image_invalid")


def check_upload(uploaded) -> CheckedFile:
    """Validate one uploaded file; raises ValidationError with an Indonesian message."""
    limit = max_file_bytes()
    return core.clean_upload(
        uploaded,
        allowed_types=_KINDS,
        max_bytes=limit,
        display_name=safe_name,
        reencode=_reencode,
        params={"mb": limit // (1024 * 1024)},
        messages={
            "too_large": (_("Berkas %(name)s terlalu besar (maksimum %(mb)s MB)."), "too_large"),
            "too_large_read": (_("Berkas terlalu besar."), "too_large"),
            "empty": (_("Berkas kosong."), "empty"),
            "type": (
                _(
                    "Jenis berkas %(name)s tidak diizinkan: hanya PDF, JPEG/PNG, Word (.docx) dan Excel (.xlsx)."
                ),
                "type",
            ),
        },
    )


def check_uploads(files) -> list[CheckedFile]:
    """Validate the files of one request: count and total size limits, then each file."""
    max_files = settings.KONFLIK_ACTIONPLAN_MAX_FILES_PER_REQUEST
    return core.clean_uploads(
        files,
        clean=check_upload,
        max_files=max_files,
        max_total_bytes=settings.KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES,
        too_many=ValidationError(
            _("Terlalu banyak berkas (maksimum %(n)s sekaligus).") % {"n": max_files}, code="too_many"
        ),
        too_large=ValidationError(_("Ukuran seluruh berkas melebihi batas."), code="request_too_large"),
    )
