"""Compile every `locale/*/LC_MESSAGES/django.po` of the project to `.mo`, in pure Python (Babel).

Django's `compilemessages` needs GNU gettext's `msgfmt`, which a fresh machine with only Python
lacks; Babel does the same job from a registry package.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the project's .po translation files to .mo (no gettext needed)."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        count = 0
        for po_path in sorted(base.glob("*/locale/*/LC_MESSAGES/*.po")) + sorted(
            base.glob("locale/*/LC_MESSAGES/*.po")
        ):
            if ".venv" in po_path.parts:
                continue
            with po_path.open("rb") as fh:
                catalog = read_po(fh)
            with po_path.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)
            count += 1
        self.stdout.write(f"{count} translation files compiled")
