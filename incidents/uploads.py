"""Attachments of a report and its updates: JPEG, PNG, WebP images; PDF; Word (.docx) and Excel (.xlsx)
documents. Everything else, HTML and SVG included, is refused. Limits: the `KONFLIK_INCIDENT_*`
settings. The checks (type by content, images re-encoded upright without EXIF, generated names) are
`konflik.uploads.UploadPolicy`'s; this module declares the policy and keeps the names its callers use.
"""

from konflik import uploads as core

ATTACHMENTS = core.UploadPolicy(
    folder="incidents/%Y",
    allowed_types=(core.JPEG, core.PNG, core.WEBP, core.PDF, core.DOCX, core.XLSX),
    max_file_setting="KONFLIK_INCIDENT_MAX_FILE_BYTES",
    max_files_setting="KONFLIK_INCIDENT_MAX_FILES_PER_REQUEST",
    max_request_setting="KONFLIK_INCIDENT_MAX_REQUEST_FILE_BYTES",
)

# The names the views, the forms and the services use.
CleanFile = core.CleanFile
clean_upload = ATTACHMENTS.clean
clean_uploads = ATTACHMENTS.clean_all
store = ATTACHMENTS.store
