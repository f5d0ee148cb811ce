"""Uploads, one policy for every app that takes files (teams, actionplans, incidents).

The type is judged by content (magic bytes; Word/Excel by the parts inside the ZIP), never by the
name or the browser's claim; sizes are limited per file and per request; images are re-encoded
upright (which drops EXIF, GPS included); files are stored under generated names. An app declares an
`UploadPolicy` (its folder, allowed types, the names of its limit settings, and messages where its
users know other words) and calls `policy.clean(file)` / `policy.clean_all(files)` /
`policy.store(clean)`; the download views serve stored files through `attachment_response`.
"""

import io
import os
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# --- the one upload policy ---------------------------------------------------------------------------

LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", DOCX: "DOCX", XLSX: "XLSX"}

# What a refusal says, by reason: `(message, code)`, formatted with `name` (the display name), `mb`
# (the limit in MB), `types` (the allowed types) and `n` (the most files per request). A policy may
# replace some of them (`UploadPolicy.messages`).
MESSAGES = {
    "too_large": (_("Berkas %(name)s terlalu besar: paling besar %(mb)s MB."), "too_large"),
    "too_large_read": (_("Berkas %(name)s terlalu besar: paling besar %(mb)s MB."), "too_large"),
    "empty": (_("Berkas %(name)s kosong."), "empty"),
    "type": (_("Jenis berkas %(name)s tidak diizinkan. Yang diizinkan: %(types)s."), "type"),
    "image_too_large": (_("Gambar terlalu besar (jumlah piksel)."), "image_too_large"),
    "invalid_image": (_("Gambar rusak atau tidak dapat dibaca."), "invalid_image"),
    "too_many": (_("Paling banyak %(n)s berkas sekali unggah."), "too_many"),
    "request_too_large": (
        _("Jumlah ukuran berkas terlalu besar: paling besar %(mb)s MB sekali unggah."),
        "request_too_large",
    ),
}

# Characters a display name drops besides control characters: path and shell punctuation, and the
# quotes and semicolon that would end a Content-Disposition parameter.
UNSAFE_NAME_CHARACTERS = set("<>:\"|?*';\\")
MAX_NAME_LENGTH = 150


def megabytes(size: int) -> str:
    """A byte limit as MB for a message: 10485760 gives "10", 65536 "0.1"."""
    return f"{round(size / (1024 * 1024), 1):g}"


def display_name(name: str, extension: str | None = None) -> str:
    """The uploaded name reduced to a label (the stored file gets a generated name): no directories,
    no control or unsafe characters, at most 150 characters, "berkas" when nothing is left. With
    `extension`, the name ends in the extension of the type found in the content (`foto.jpeg` of a
    PNG becomes `foto.png`), so the label never promises another type than the file has."""
    name = unicodedata.normalize("NFKC", basename(name))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in UNSAFE_NAME_CHARACTERS)
    name = name.strip(" .") or "berkas"
    if extension is None:
        return name[:MAX_NAME_LENGTH]
    stem = os.path.splitext(name)[0].strip(" .") or "berkas"
    return f"{stem[: MAX_NAME_LENGTH - len(extension) - 1]}.{extension}"


def reencode_image(data: bytes, content_type: str, *, messages=MESSAGES) -> bytes:
    """A fresh image of the same type, turned upright first.

    Re-encoding drops every metadata block (EXIF with the camera and the GPS position); the EXIF
    orientation tag goes with it, so `ImageOps.exif_transpose` applies it to the pixels before: a
    phone photo taken upright is stored upright whichever app it was uploaded to.
    """
    from PIL import Image, ImageOps

    try:
        with open_image(data) as probe:
            probe.verify()  # a truncated or malformed file fails here, before it is decoded
        with open_image(data) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            # A save without `exif=`: the metadata is not carried over.
            if content_type == JPEG:
                image.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
            elif content_type == PNG:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
            else:
                image.save(out, "WEBP", quality=88)
    except (ImageTooLarge, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(messages, "image_too_large", {})
    except Exception:  # Pillow raises many kinds on a malformed image; each is a refusal, never a 500
        raise _refuse(messages, "invalid_image", {})
    return out.getvalue()


@dataclass(frozen=True)
class UploadPolicy:
    """What an upload path accepts and where it keeps it; each app declares one per kind of file.

    - `folder`: where the files go under MEDIA_ROOT, a `strftime` pattern (`"incidents/%Y"`); every
      file gets a generated name there (`<uuid>.<extension>`), the user's name is only a label;
    - `allowed_types`: content types (`PDF`, `JPEG`, ...), judged by the content (`sniff`);
    - `max_file_setting`: the name of the setting with the per-file limit in bytes; read on every
      call, so a test's or a deployment's value applies;
    - `max_files_setting` / `max_request_setting`: the settings with the most files and bytes per
      request (`clean_all`); without them a request carries one file;
    - `messages`: replacements for some of `MESSAGES` (a path whose wording users know).

    Images are always re-encoded upright (`reencode_image`), names reduced to labels (`display_name`).
    A model that stores the files inherits `konflik.models.StoredFile` and names its policy in
    `upload_policy`.
    """

    folder: str
    allowed_types: tuple
    max_file_setting: str
    max_files_setting: str | None = None
    max_request_setting: str | None = None
    messages: dict = field(default_factory=dict)

    @property
    def types_label(self) -> str:
        return ", ".join(LABELS[content_type] for content_type in self.allowed_types)

    @property
    def extensions(self) -> dict:
        return {content_type: EXTENSIONS[content_type] for content_type in self.allowed_types}

    def message_table(self) -> dict:
        return {**MESSAGES, **self.messages}

    def max_file_bytes(self) -> int:
        return getattr(settings, self.max_file_setting)

    def clean(self, uploaded) -> CleanFile:
        """One uploaded file checked: size, type by content, images re-encoded; the display name ends
        in the found type's extension. Raises ValidationError with the policy's message."""
        limit = self.max_file_bytes()
        messages = self.message_table()
        clean = clean_upload(
            uploaded,
            allowed_types=self.allowed_types,
            max_bytes=limit,
            messages=messages,
            display_name=display_name,
            reencode=lambda data, content_type: reencode_image(data, content_type, messages=messages),
            params={"mb": megabytes(limit), "types": self.types_label},
        )
        clean.original_name = display_name(clean.original_name, clean.extension)
        return clean

    def clean_all(self, files) -> list[CleanFile]:
        """A request's files checked: their count and total size, then each (every refusal reported in
        one ValidationError)."""
        messages = self.message_table()
        max_files = getattr(settings, self.max_files_setting) if self.max_files_setting else 1
        total = getattr(settings, self.max_request_setting) if self.max_request_setting else None
        if total is None:
            total = max_files * self.max_file_bytes()
        return clean_uploads(
            files,
            clean=self.clean,
            max_files=max_files,
            max_total_bytes=total,
            too_many=_refuse(messages, "too_many", {"n": max_files}),
            too_large=_refuse(messages, "request_too_large", {"mb": megabytes(total)}),
            all_errors=True,
        )

    def generated_name(self, extension: str) -> str:
        """A new storage name in the policy's folder: `<folder>/<uuid>.<extension>`."""
        return f"{timezone.now().strftime(self.folder)}/{uuid.uuid4().hex}.{extension}"

    def store(self, clean: CleanFile, storage=None) -> str:
        """Save a checked file under a generated name; returns the storage name."""
        storage = storage or default_storage
        return storage.save(self.generated_name(clean.extension), ContentFile(clean.content))
