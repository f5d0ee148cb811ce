"""Stored files that no row names any more.

A service stores an upload, then writes its row in the same transaction. If that transaction rolls
back (a later validation error, a lost database connection, a crash in between), the file stays in
storage with nothing pointing at it. This sweep finds such files under the upload folders and deletes
those older than a margin, so that a file whose transaction is still open is never touched.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

logger = logging.getLogger("konflik.ops")

# The folders the apps store their files in (see each FileField's `upload_to` and the services).
UPLOAD_FOLDERS = ("incidents", "teams/minutes", "actionplans/evidence", "dashboard/reports")


def _walk(storage, folder):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")


def referenced_names() -> set[str]:
    """Every file name a FileField of any model holds."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model._base_manager.exclude(**{field.attname: ""}).values_list(
                    field.attname, flat=True
                )
                names.update(name for name in rows.iterator(chunk_size=5000) if name)
    return names


def sweep(*, older_than=timedelta(hours=6), now=None, delete=True, storage=None) -> list[str]:
    """The orphaned files (deleted unless `delete=False`), oldest margin `older_than`.

    Files are listed before the rows are read: a file stored and committed in between is then among
    the names, never taken for an orphan.
    """
    storage = storage or default_storage
    cutoff = (now or timezone.now()) - older_than
    candidates = [
        name
        for folder in UPLOAD_FOLDERS
        for name in _walk(storage, folder)
        if storage.get_modified_time(name) < cutoff
    ]
    if not candidates:
        return []
    known = referenced_names()
    orphans = sorted(name for name in candidates if name not in known)
    for name in orphans:
        if delete:
            storage.delete(name)
        logger.info("orphan upload %s name=%s", "deleted" if delete else "found", name)
    return orphans
