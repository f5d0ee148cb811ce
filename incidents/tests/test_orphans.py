"""Files left in storage by a transaction that rolled back are found and deleted by the sweep (after a
margin), while every file a row names, and every young file, stays."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from incidents import services
from incidents.models import Attachment
from incidents.tests.test_uploads import jpeg_with_gps, upload
from konflik import orphans


class Rollback(Exception):
    pass


def stored_files():
    return sorted(
        name for folder in orphans.UPLOAD_FOLDERS for name in orphans._walk(default_storage, folder)
    )


@pytest.mark.django_db
def test_a_rolled_back_upload_is_swept_and_everything_named_stays(sec_a, incident_a):
    (kept,) = services.incident_add_attachments(
        incident=incident_a, actor=sec_a, files=[upload("foto.jpg", jpeg_with_gps())]
    )
    with pytest.raises(Rollback), transaction.atomic():
        services.incident_add_attachments(
            incident=incident_a, actor=sec_a, files=[upload("x.jpg", jpeg_with_gps())]
        )
        raise Rollback  # e.g. a later step of the same request failed
    assert Attachment.objects.count() == 1
    (left_behind,) = [name for name in stored_files() if name != kept.file.name]

    # within the margin nothing is touched (its transaction might still be open)
    assert orphans.sweep(now=timezone.now() + timedelta(hours=1)) == []
    assert left_behind in stored_files()

    later = timezone.now() + timedelta(hours=7)
    out = io.StringIO()
    call_command("sweep_uploads", "--older-than-hours", "0", stdout=out)  # lists only
    assert left_behind in out.getvalue() and left_behind in stored_files()

    assert orphans.sweep(now=later) == [left_behind]
    assert stored_files() == [kept.file.name]
    assert Attachment.objects.get().file.read()  # the attached photo is intact
