"""Minutes attachments: the type is judged by content (magic bytes), never by the name or the
browser's claim; a size limit per file; images are re-encoded (which drops EXIF, GPS included).
The checks themselves live in `konflik.uploads`.

Allowed: PDF, Word (.docx), Excel (.xlsx), JPEG and PNG.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from konflik import uploads as core

DOCX, XLSX = core.DOCX, core.XLSX
ALLOWED_TYPES = (core.PDF, DOCX, XLSX, core.JPEG, core.PNG)
EXTENSIONS = {content_type: core.EXTENSIONS[content_type] for content_type in ALLOWED_TYPES}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPEG, PNG"

CleanUpload = core.CleanFile


def _reencode(data: bytes, content_type: str) -> bytes:
    from PIL import Image, UnidentifiedImageError

    try:
        with core.open_image(data) as image:
            image.load()
            out = io.BytesIO()
            fmt = "JPEG" if content_type == "image/jpeg" else "PNG"
            (image.convert("RGB") if fmt == "JPEG" else image).save(out, format=fmt)
    except core.ImageTooLarge:
        raise ValidationError(_("Gambar terlalu besar."), code="image_too_large")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError(_("Gambar rusak atau tidak dapat dibaca."), code="invalid_image")
    return out.getvalue()


def _safe_name(name: str) -> str:
    cleaned = "".join(ch for ch in core.basename(name) if ch.isalnum() or ch in " ._-()").strip(" .")
    return (cleaned or "berkas")[:200]


def clean_upload(upload) -> CleanUpload:
    """Validate one uploaded file; raises ValidationError with an Indonesian message."""
    limit = settings.KONFLIK_TEAMS_MAX_FILE_BYTES
    return core.clean_upload(
        upload,
        allowed_types=ALLOWED_TYPES,
        max_bytes=limit,
        display_name=_safe_name,
        reencode=_reencode,
        params={"mb": limit // (1024 * 1024), "types": ALLOWED_LABEL},
        messages={
            "too_large": (_("Berkas terlalu besar (maksimal %(mb)s MB)."), "too_large"),
            "too_large_read": (_("Berkas terlalu besar."), "too_large"),
            "type": (_("Jenis berkas tidak diizinkan. Yang diizinkan: %(types)s."), "type"),
        },
    )
