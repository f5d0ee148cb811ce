"""Upload checks shared by the apps that take files (teams, actionplans, incidents).

The type is judged by content (magic bytes; Word/Excel by the parts inside the ZIP), never by the
name or the browser's claim; sizes are limited per file and per request; images are re-encoded by
the calling app (which drops EXIF, GPS included). Each app passes its own allowed types, limits
(from its settings) and Indonesian messages; the download views serve stored files through
`attachment_response`.
"""

import io
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", DOCX: "docx", XLSX: "xlsx"}
IMAGE_TYPES = frozenset({JPEG, PNG, WEBP})


# The most pixels an uploaded image may have (decoding decides memory, not the file's size). Checked
# per image by `open_image`; Pillow's process-wide limit is left alone.
MAX_IMAGE_PIXELS = 40_000_000


class ImageTooLarge(Exception):
    """More pixels than an upload may have."""


def open_image(data: bytes, max_pixels: int = MAX_IMAGE_PIXELS):
    """Open an uploaded image for re-encoding; refuses one of more than `max_pixels` pixels before
    decoding it (Pillow reads the size from the header)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    if image.width * image.height > max_pixels:
        image.close()
        raise ImageTooLarge
    return image


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str

    @property
    def generated_name(self):
        return f"{uuid.uuid4().hex}.{self.extension}"


def ooxml_type(data: bytes) -> str | None:
    """A Word or Excel file is a ZIP with the parts of its kind; anything else is None."""
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


def sniff(data: bytes, allowed_types: Iterable[str] = EXTENSIONS) -> str | None:
    """The content type of `data` judged by its first bytes, or None when it is not allowed."""
    if data.startswith(b"%PDF-"):
        found = PDF
    elif data.startswith(b"\xff\xd8\xff"):
        found = JPEG
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        found = WEBP
    elif data.startswith(b"PK\x03\x04"):
        found = ooxml_type(data)
    else:
        found = None
    return found if found in allowed_types else None


def basename(name: str) -> str:
    """The last part of a path, Windows separators included."""
    return (name or "").replace("\\", "/").rsplit("/", 1)[-1]


def _refuse(messages: dict, reason: str, params: dict) -> ValidationError:
    message, code = messages[reason]
    return ValidationError(message % params, code=code)


def clean_upload(
    uploaded,
    *,
    allowed_types: Iterable[str],
    max_bytes: int,
    messages: dict,
    display_name: Callable[[str], str],
    reencode: Callable[[bytes, str], bytes],
    params: dict | None = None,
) -> CleanFile:
    """Validate one uploaded file; raises ValidationError with the caller's message.

    `messages` maps a reason to `(message, code)`: "too_large" (the declared size), "too_large_read"
    (the bytes read), "type" and optionally "empty" (without it an empty file is refused as "type").
    Messages are formatted with `params` plus `name` (the display name).
    """
    name = display_name(getattr(uploaded, "name", ""))
    params = {**(params or {}), "name": name}
    if uploaded.size is not None and uploaded.size > max_bytes:
        raise _refuse(messages, "too_large", params)
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(messages, "too_large_read", params)
    if not data and "empty" in messages:
        raise _refuse(messages, "empty", params)
    content_type = sniff(data, allowed_types)
    if content_type is None:
        raise _refuse(messages, "type", params)
    if content_type in IMAGE_TYPES:
        data = reencode(data, content_type)
    return CleanFile(
        content=data, content_type=content_type, extension=EXTENSIONS[content_type], original_name=name
    )


def clean_uploads(
    files,
    *,
    clean: Callable[[object], CleanFile],
    max_files: int,
    max_total_bytes: int,
    too_many: ValidationError,
    too_large: ValidationError,
    all_errors: bool = False,
) -> list[CleanFile]:
    """Validate a request's files: count, total declared size, then each file with `clean`.

    With `all_errors` every refused file is reported (one ValidationError listing the messages);
    otherwise the first refusal is raised as it is.
    """
    files = list(files or [])
    if len(files) > max_files:
        raise too_many
    if sum(f.size or 0 for f in files) > max_total_bytes:
        raise too_large
    if not all_errors:
        return [clean(f) for f in files]
    cleaned, errors = [], []
    for f in files:
        try:
            cleaned.append(clean(f))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def attachment_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as a download (`attachment` disposition, `nosniff`); 404 when it is gone."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
