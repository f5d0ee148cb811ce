"""Backup → restore round trip with the documented scripts: same row counts and checksums in every
table, same uploads."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from konflik.management.commands.db_checksums import table_checksums, uploads_checksum
from konflik.models import Region
from konflik.services import audit_log, snapshot

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


def _url(name):
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def test_dump_and_restore_round_trip(tmp_path, settings, kalbar_regions, sec_a):
    # some rows across tables, and an upload
    district = Region.objects.create(
        code="61.71.01", name="Pontianak Selatan", level="district", parent_id="61.71"
    )
    audit_log(actor=sec_a, action="create", obj=district, after=snapshot(district))
    media = Path(settings.MEDIA_ROOT)
    (media / "evidence").mkdir(parents=True)
    (media / "evidence" / "foto.jpg").write_bytes(os.urandom(4096))

    source_name = connection.settings_dict["NAME"]
    restored_name = f"{source_name}_restored"
    env = {**os.environ, "DATABASE_URL": _url(source_name), "KONFLIK_MEDIA_ROOT": str(media)}
    backups = tmp_path / "backups"
    dump = subprocess.run(
        ["bash", str(ROOT / "ops/backup.sh"), str(backups)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    uploads = next(backups.glob("uploads-*.tar.gz"))

    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    restored_media = tmp_path / "restored-uploads"
    try:
        subprocess.run(
            [
                "bash",
                str(ROOT / "ops/restore.sh"),
                dump,
                str(uploads),
                _url(restored_name),
                str(restored_media),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        before = table_checksums()
        connection.close()
        original = connection.settings_dict["NAME"]
        connection.settings_dict["NAME"] = restored_name
        try:
            after = table_checksums()
        finally:
            connection.close()
            connection.settings_dict["NAME"] = original
        assert after == before
        assert before["konflik_region"][0] == 16 and before["konflik_auditevent"][0] >= 1
        assert uploads_checksum(restored_media) == uploads_checksum(media) and uploads_checksum(media)[0] == 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
