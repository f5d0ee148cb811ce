"""Minutes attachments: the type is judged by content (magic bytes), never by the name or the
browser's claim; a size limit per file; images are re-encoded (which drops EXIF, GPS included).

Allowed: PDF, Word (.docx), Excel (.xlsx), JPEG and PNG.
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {"application/pdf": "pdf", DOCX: "docx", XLSX: "xlsx", "image/jpeg": "jpg", "image/png": "png"}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPEG, PNG"


@dataclass
class CleanUpload:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
        if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
            return XLSX
    return None


def _reencode(data: bytes, content_type: str) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            out = io.BytesIO()
            fmt = "JPEG" if content_type == "image/jpeg" else "PNG"
            (image.convert("RGB") if fmt == "JPEG" else image).save(out, format=fmt)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="invalid_image")
    return out.getvalue()


def _safe_name(name: str) -> str:
    name = (name or "berkas").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in name if ch.isalnum() or ch in " ._-()").strip(" .")
    return (cleaned or "berkas")[:200]


def clean_upload(upload) -> CleanUpload:
    """Validate one uploaded file; raises ValidationError with an Indonesian message."""
    limit = settings.KONFLIK_TEAMS_MAX_FILE_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Berkas terlalu besar (maksimal %(mb)s MB).") % {"mb": limit // (1024 * 1024)}, code="too_large"
        )
    data = upload.read()
    if len(data) > limit:
        raise ValidationError(_("Berkas terlalu besar."), code="too_large")
    content_type = sniff(data)
    if content_type is None:
        raise ValidationError(
            _("Jenis berkas tidak diizinkan. Yang diizinkan: %(types)s.") % {"types": ALLOWED_LABEL},
            code="type",
        )
    if content_type.startswith("image/"):
        data = _reencode(data, content_type)
    return CleanUpload(
        content=data,
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        original_name=_safe_name(upload.name),
    )
