"""Attachment intake: type by content (magic bytes, never the name or the browser's claim), size
limits, images re-encoded by Pillow (which drops EXIF, GPS included), generated names.

Allowed: JPEG, PNG, WebP images; PDF; Word (.docx) and Excel (.xlsx) documents. Everything else,
HTML and SVG included, is refused.
"""

import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from konflik import uploads as core

IMAGE_TYPES = {
    content_type: core.EXTENSIONS[content_type] for content_type in (core.JPEG, core.PNG, core.WEBP)
}
DOCUMENT_TYPES = {
    content_type: core.EXTENSIONS[content_type] for content_type in (core.PDF, core.DOCX, core.XLSX)
}
ALLOWED_TYPES = {**IMAGE_TYPES, **DOCUMENT_TYPES}
ALLOWED_LABEL = "JPEG, PNG, WebP, PDF, DOCX, XLSX"

CleanFile = core.CleanFile


def safe_display_name(name: str) -> str:
    """The uploaded name reduced to a label: no directories, no control characters, bounded."""
    name = (
        "".join(ch for ch in core.basename(name) if ch.isprintable() and ch not in '<>:"|?*')
        .strip()
        .lstrip(".")
    )
    return (name or "berkas")[:150]


def _reencode_image(data: bytes, content_type: str) -> bytes:
    from PIL import Image, ImageOps

    try:
        with core.open_image(data) as probe:
            probe.verify()
        with core.open_image(data) as image:
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
    except (core.ImageTooLarge, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("Gambar terlalu besar (jumlah piksel)."))
    except Exception:
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."))
    return out.getvalue()


def clean_upload(uploaded) -> CleanFile:
    """Validate one uploaded file; returns its cleaned content or raises ValidationError (Indonesian)."""
    max_bytes = settings.KONFLIK_INCIDENT_MAX_FILE_BYTES
    too_large = _("Berkas %(name)s terlalu besar: paling besar %(mb)s MB.")
    clean = core.clean_upload(
        uploaded,
        allowed_types=ALLOWED_TYPES,
        max_bytes=max_bytes,
        display_name=safe_display_name,
        reencode=_reencode_image,
        params={"mb": round(max_bytes / 1024 / 1024, 1), "types": ALLOWED_LABEL},
        messages={
            "too_large": (too_large, None),
            "too_large_read": (too_large, None),
            "empty": (_("Berkas %(name)s kosong."), None),
            "type": (_("Jenis berkas %(name)s tidak diizinkan. Yang diizinkan: %(types)s."), None),
        },
    )
    stem = os.path.splitext(clean.original_name)[0] or "berkas"
    clean.original_name = f"{stem}.{clean.extension}"
    return clean


def clean_uploads(files) -> list[CleanFile]:
    """Validate a request's files: count, total size, then each file (every refusal reported)."""
    max_files = settings.KONFLIK_INCIDENT_MAX_FILES_PER_REQUEST
    limit = settings.KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES
    return core.clean_uploads(
        files,
        clean=clean_upload,
        max_files=max_files,
        max_total_bytes=limit,
        too_many=ValidationError(_("Paling banyak %(n)s berkas sekali unggah.") % {"n": max_files}),
        too_large=ValidationError(
            _("Jumlah ukuran berkas terlalu besar: paling besar %(mb)s MB sekali unggah.")
            % {"mb": round(limit / 1024 / 1024, 1)}
        ),
        all_errors=True,
    )


def store(clean: CleanFile) -> str:
    """Save under MEDIA_ROOT with a generated name; returns the storage name."""
    name = f"incidents/{timezone.now():%Y}/{uuid.uuid4().hex}.{clean.extension}"
    return default_storage.save(name, ContentFile(clean.content))
