"""Print every konflik table with its row count and a checksum of its content, and a checksum of the
uploads folder: run it against the live database and a restored copy, and compare the output.

    DATABASE_URL=postgres://.../konflik python manage.py db_checksums
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection


def table_checksums():
    """{table: (rows, md5 of the rows in primary-key order)} for every table of the project."""
    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            # table names come from the database's own catalogue, quoted: not user input
            quoted = connection.ops.quote_name(table)
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {quoted} t"  # noqa: S608
                )
                result[table] = tuple(cursor.fetchone())
            else:
                cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608
                rows = sorted(repr(row) for row in cursor.fetchall())
                result[table] = (len(rows), hashlib.md5("|".join(rows).encode()).hexdigest())  # noqa: S324
    return result


def uploads_checksum(root=None):
    root = Path(root or settings.MEDIA_ROOT)
    digest = hashlib.sha256()
    count = 0
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
            count += 1
    return count, digest.hexdigest()


class Command(BaseCommand):
    help = "Row counts and checksums of every table and of the uploads (to verify a restore)."

    def add_arguments(self, parser):
        parser.add_argument("--media", default=None, help="uploads folder (default MEDIA_ROOT)")

    def handle(self, *args, media, **options):
        for table, (rows, checksum) in table_checksums().items():
            self.stdout.write(f"{table}\t{rows}\t{checksum}")
        files, checksum = uploads_checksum(media)
        self.stdout.write(f"uploads\t{files}\t{checksum}")
