"""List (and with --delete, remove) stored files that no row names: what rolled-back transactions
leave behind. Beat runs the same sweep every six hours (`konflik.tasks.sweep_orphan_uploads`).

    python manage.py sweep_uploads              # list only
    python manage.py sweep_uploads --delete     # remove them
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from konflik import orphans


class Command(BaseCommand):
    help = "List or delete uploaded files that no database row refers to."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="delete them (default: only list)")
        parser.add_argument(
            "--older-than-hours", type=float, default=6.0, help="leave younger files alone (default 6)"
        )

    def handle(self, *args, delete, older_than_hours, **options):
        if older_than_hours < 0:
            raise CommandError("--older-than-hours cannot be negative")
        found = orphans.sweep(older_than=timedelta(hours=older_than_hours), delete=delete)
        for name in found:
            self.stdout.write(name)
        verb = "deleted" if delete else "found (not deleted; use --delete)"
        self.stdout.write(f"{len(found)} orphaned file(s) {verb}")
