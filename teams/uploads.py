"""Minutes attachments, one file per request: PDF, Word (.docx), Excel (.xlsx), JPEG and PNG, up to
`KONFLIK_TEAMS_MAX_FILE_BYTES`. The checks (type by content, images re-encoded upright without EXIF,
generated names) are `konflik.uploads.UploadPolicy`'s; this module only declares the policy.
"""

from django.utils.translation import gettext_lazy as _

from konflik import uploads as core

MINUTES = core.UploadPolicy(
    folder="teams/minutes/%Y/%m",
    allowed_types=(core.PDF, core.DOCX, core.XLSX, core.JPEG, core.PNG),
    max_file_setting="KONFLIK_TEAMS_MAX_FILE_BYTES",
    messages={  # the minutes pages' own wording
        "too_large": (_("Berkas terlalu besar (maksimal %(mb)s MB)."), "too_large"),
        "too_large_read": (_("Berkas terlalu besar."), "too_large"),
        "type": (_("Jenis berkas tidak diizinkan. Yang diizinkan: %(types)s."), "type"),
    },
)

# The names the views, the API and the services use.
CleanUpload = core.CleanFile
clean_upload = MINUTES.clean
