"""Evidence files (data dukung) of a realisation: PDF, JPEG/PNG, Word (.docx) and Excel (.xlsx), up to
`KONFLIK_ACTIONPLAN_MAX_FILE_BYTES` each and the per-request limits of the `KONFLIK_ACTIONPLAN_*`
settings. The checks (type by content, images re-encoded upright without EXIF, generated names) are
`konflik.uploads.UploadPolicy`'s; this module declares the policy and keeps the names its callers use.
"""

from konflik import uploads as core

EVIDENCE = core.UploadPolicy(
    folder="actionplans/evidence",
    allowed_types=(core.PDF, core.JPEG, core.PNG, core.DOCX, core.XLSX),
    max_file_setting="KONFLIK_ACTIONPLAN_MAX_FILE_BYTES",
    max_files_setting="KONFLIK_ACTIONPLAN_MAX_FILES_PER_REQUEST",
    max_request_setting="KONFLIK_ACTIONPLAN_MAX_REQUEST_FILE_BYTES",
)

# `(extension, content type)` kinds, as the workbook import checks them (`detect(data) == XLSX`).
PDF = ("pdf", core.PDF)
JPEG = ("jpg", core.JPEG)
PNG = ("png", core.PNG)
DOCX = ("docx", core.DOCX)
XLSX = ("xlsx", core.XLSX)
_KINDS = {kind[1]: kind for kind in (PDF, JPEG, PNG, DOCX, XLSX)}

CheckedFile = core.CleanFile
check_upload = EVIDENCE.clean
check_uploads = EVIDENCE.clean_all


def detect(data: bytes):
    """The `(extension, content type)` kind of `data`, or None when it is not allowed."""
    return _KINDS.get(core.sniff(data, _KINDS))
