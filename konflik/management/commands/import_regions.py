"""Load districts and villages from the `idn-area-data` CSV files.

    python manage.py import_regions PATH [--province 61]

PATH is a folder holding `districts.csv` (`code,regency_code,name`) and `villages.csv`
(`code,district_code,name`), as shipped by the npm package idn-area-data 4.x (data: ODbL, attribution
to its authors). Only rows of the chosen province are loaded. Idempotent: a second run changes
nothing. Every row is checked first; one malformed row refuses the whole file, nothing is written.
"""

import csv
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from konflik.models import Region

DISTRICT_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
VILLAGE_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


class Command(BaseCommand):
    help = "Import districts and villages of one province from idn-area-data CSV files."

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder with districts.csv and villages.csv")
        parser.add_argument("--province", default="61", help="province code (default 61, Kalimantan Barat)")

    def handle(self, *args, path, province, **options):
        folder = Path(path)
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder")
        if not Region.objects.filter(code=province, level=Region.Level.PROVINCE).exists():
            raise CommandError(f"unknown province {province!r}")
        regencies = set(Region.objects.filter(parent_id=province).values_list("code", flat=True))
        districts = self._read(
            folder / "districts.csv", ("code", "regency_code", "name"), DISTRICT_RE, province
        )
        villages = self._read(
            folder / "villages.csv", ("code", "district_code", "name"), VILLAGE_RE, province
        )

        errors = []
        for line, code, parent, _name in districts:
            if parent not in regencies:
                errors.append(f"districts.csv line {line}: regency {parent!r} of {code} is unknown")
            elif not code.startswith(parent + "."):
                errors.append(f"districts.csv line {line}: {code} does not lie in regency {parent}")
        district_codes = {d[1] for d in districts} | set(
            Region.objects.filter(parent_id__in=regencies).values_list("code", flat=True)
        )
        for line, code, parent, _name in villages:
            if parent not in district_codes:
                errors.append(f"villages.csv line {line}: district {parent!r} of {code} is unknown")
            elif not code.startswith(parent + "."):
                errors.append(f"villages.csv line {line}: {code} does not lie in district {parent}")
        if errors:
            raise CommandError("nothing imported:\n" + "\n".join(errors[:50]))

        created = updated = 0
        with transaction.atomic():
            existing = {r.code: r for r in Region.objects.filter(code__startswith=province + ".")}
            for level, rows in ((Region.Level.DISTRICT, districts), (Region.Level.VILLAGE, villages)):
                new = []
                for _line, code, parent, name in rows:
                    current = existing.get(code)
                    if current is None:
                        new.append(Region(code=code, name=name, level=level, parent_id=parent))
                    elif (current.name, current.parent_id, current.level) != (name, parent, level):
                        current.name, current.parent_id, current.level = name, parent, level
                        current.save(update_fields=["name", "parent", "level"])
                        updated += 1
                Region.objects.bulk_create(new, batch_size=2000)
                created += len(new)
        self.stdout.write(f"{created} regions created, {updated} updated, province {province}")

    def _read(self, file, columns, code_re, province):
        if not file.exists():
            raise CommandError(f"{file} is missing")
        rows, errors = [], []
        with file.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None or [h.strip() for h in header] != list(columns):
                raise CommandError(f"{file.name}: expected the header {','.join(columns)}, found {header}")
            for line, row in enumerate(reader, start=2):
                if not row or not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(columns):
                    errors.append(
                        f"{file.name} line {line}: expected {len(columns)} columns, found {len(row)}"
                    )
                    continue
                code, parent, name = (cell.strip() for cell in row)
                if not code_re.match(code):
                    errors.append(f"{file.name} line {line}: malformed code {code!r}")
                elif not name:
                    errors.append(f"{file.name} line {line}: empty name for {code}")
                elif code.split(".")[0] == province:
                    rows.append((line, code, parent, name[:120]))
        if errors:
            raise CommandError("nothing imported:\n" + "\n".join(errors[:50]))
        return rows
