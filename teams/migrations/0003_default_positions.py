"""The usual positions of a Tim Terpadu decree (Permendagri 42/2015 practice); editable in the admin."""

from django.db import migrations

DEFAULT_POSITIONS = [
    ("Ketua", 10),
    ("Wakil Ketua", 20),
    ("Wakil Ketua I", 21),
    ("Wakil Ketua II", 22),
    ("Sekretaris", 30),
    ("Anggota", 50),
    ("Sub-tim Pencegahan", 60),
    ("Sub-tim Penghentian", 61),
    ("Sub-tim Pemulihan", 62),
]


def seed(apps, schema_editor):
    Position = apps.get_model("teams", "Position")
    for name, order in DEFAULT_POSITIONS:
        Position.objects.get_or_create(name=name, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("teams", "0002_members_meetings_followups")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
