"""Attachment intake: type by content (magic bytes, never the name or the browser's claim), size
limits, images re-encoded by Pillow (which drops EXIF, GPS included), generated names.

Allowed: JPEG, PNG, WebP images; PDF; Word (.docx) and Excel (.xlsx) documents. Everything else,
HTML and SVG included, is refused.
"""

import io
import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
ALLOWED_LABEL = "JPEG, PNG, WebP, PDF, DOCX, XLSX"
# Pillow refuses larger images (decompression bombs) with an error we turn into a message.
MAX_IMAGE_PIXELS = 40_000_000


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def sniff(head: bytes, data: bytes) -> str | None:
    """The content type of `data` judged by its first bytes, or None when it is not allowed."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if "xl/workbook.xml" in names:
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return None


def safe_display_name(name: str) -> str:
    """The uploaded name reduced to a label: no directories, no control characters, bounded."""
    name = (name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip().lstrip(".")
    return (name or "berkas")[:150]


def _reencode_image(data: bytes, content_type: str) -> bytes:
    from PIL import Image, ImageOps

    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the orientation the EXIF block described
            out = io.BytesIO()
            if content_type == "image/jpeg":
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif content_type == "image/png":
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=88)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("Gambar terlalu besar (jumlah piksel)."))
    except Exception:
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."))
    return out.getvalue()


def clean_upload(uploaded) -> CleanFile:
    """Validate one uploaded file; returns its cleaned content or raises ValidationError (Indonesian)."""
    max_bytes = settings.KONFLIK_INCIDENT_MAX_FILE_BYTES
    label = safe_display_name(getattr(uploaded, "name", ""))
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar: paling besar %(mb)s MB.")
            % {"name": label, "mb": round(max_bytes / 1024 / 1024, 1)}
        )
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar: paling besar %(mb)s MB.")
            % {"name": label, "mb": round(max_bytes / 1024 / 1024, 1)}
        )
    if not data:
        raise ValidationError(_("Berkas %(name)s kosong.") % {"name": label})
    content_type = sniff(data[:16], data)
    if content_type is None:
        raise ValidationError(
            _("Jenis berkas %(name)s tidak diizinkan. Yang diizinkan: %(types)s.")
            % {"name": label, "types": ALLOWED_LABEL}
        )
    if content_type in IMAGE_TYPES:
        data = _reencode_image(data, content_type)
        extension = IMAGE_TYPES[content_type]
    else:
        extension = DOCUMENT_TYPES[content_type]
    stem = os.path.splitext(label)[0] or "berkas"
    return CleanFile(
        content=data, content_type=content_type, extension=extension, original_name=f"{stem}.{extension}"
    )


def clean_uploads(files) -> list[CleanFile]:
    """Validate a request's files: count, total size, then each file."""
    files = list(files or [])
    if len(files) > settings.KONFLIK_INCIDENT_MAX_FILES_PER_REQUEST:
        raise ValidationError(
            _("Paling banyak %(n)s berkas sekali unggah.")
            % {"n": settings.KONFLIK_INCIDENT_MAX_FILES_PER_REQUEST}
        )
    total = sum(f.size or 0 for f in files)
    limit = settings.KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES
    if total > limit:
        raise ValidationError(
            _("Jumlah ukuran berkas terlalu besar: paling besar %(mb)s MB sekali unggah.")
            % {"mb": round(limit / 1024 / 1024, 1)}
        )
    cleaned, errors = [], []
    for f in files:
        try:
            cleaned.append(clean_upload(f))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def store(clean: CleanFile) -> str:
    """Save under MEDIA_ROOT with a generated name; returns the storage name."""
    name = f"incidents/{timezone.now():%Y}/{uuid.uuid4().hex}.{clean.extension}"
    return default_storage.save(name, ContentFile(clean.content))
