"""Recompute the incident rollup from the incident rows (after a bulk load or a restore)."""

import time

from django.core.management.base import BaseCommand

from dashboard import rollups


class Command(BaseCommand):
    help = "Rebuild the dashboard's incident rollup from the incident table (set-based)."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = rollups.rebuild()
        self.stdout.write(f"incident rollup rebuilt: {rows} rows in {time.monotonic() - started:.1f} s")
