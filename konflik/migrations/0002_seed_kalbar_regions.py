"""Seed province 61 and its 14 regencies/cities (facts, not demo data)."""

from django.db import migrations

PROVINCE = ("61", "Provinsi Kalimantan Barat")
REGENCIES = [
    ("61.01", "Kabupaten Sambas"),
    ("61.02", "Kabupaten Mempawah"),
    ("61.03", "Kabupaten Sanggau"),
    ("61.04", "Kabupaten Ketapang"),
    ("61.05", "Kabupaten Sintang"),
    ("61.06", "Kabupaten Kapuas Hulu"),
    ("61.07", "Kabupaten Bengkayang"),
    ("61.08", "Kabupaten Landak"),
    ("61.09", "Kabupaten Sekadau"),
    ("61.10", "Kabupaten Melawi"),
    ("61.11", "Kabupaten Kayong Utara"),
    ("61.12", "Kabupaten Kubu Raya"),
    ("61.71", "Kota Pontianak"),
    ("61.72", "Kota Singkawang"),
]


def seed(apps, schema_editor):
    Region = apps.get_model("konflik", "Region")
    province, _ = Region.objects.update_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": "province", "parent": None}
    )
    for code, name in REGENCIES:
        level = "city" if name.startswith("Kota ") else "regency"
        Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent": province})


def unseed(apps, schema_editor):
    Region = apps.get_model("konflik", "Region")
    Region.objects.filter(code__in=[c for c, _ in REGENCIES]).delete()
    Region.objects.filter(code=PROVINCE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("konflik", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
