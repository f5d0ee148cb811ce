import csv

import pytest
from django.core.management import CommandError, call_command

from konflik.models import Region

EXPECTED = {
    "61": "Provinsi Kalimantan Barat",
    "61.01": "Kabupaten Sambas",
    "61.02": "Kabupaten Mempawah",
    "61.03": "Kabupaten Sanggau",
    "61.04": "Kabupaten Ketapang",
    "61.05": "Kabupaten Sintang",
    "61.06": "Kabupaten Kapuas Hulu",
    "61.07": "Kabupaten Bengkayang",
    "61.08": "Kabupaten Landak",
    "61.09": "Kabupaten Sekadau",
    "61.10": "Kabupaten Melawi",
    "61.11": "Kabupaten Kayong Utara",
    "61.12": "Kabupaten Kubu Raya",
    "61.71": "Kota Pontianak",
    "61.72": "Kota Singkawang",
}


@pytest.mark.django_db
def test_seed_has_exactly_the_fifteen_kalbar_regions():
    assert dict(Region.objects.values_list("code", "name")) == EXPECTED
    assert Region.objects.get(code="61").level == "province"
    assert set(Region.objects.filter(level="city").values_list("code", flat=True)) == {"61.71", "61.72"}
    assert Region.objects.filter(level="regency").count() == 12
    assert set(Region.objects.exclude(code="61").values_list("parent_id", flat=True)) == {"61"}


def write_csv(path, header, rows):
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def area_dir(tmp_path):
    write_csv(
        tmp_path / "districts.csv",
        ["code", "regency_code", "name"],
        [
            ["61.71.01", "61.71", "Pontianak Selatan"],
            ["61.01.01", "61.01", "Sambas"],
            ["62.01.01", "62.01", "Kotawaringin"],
        ],
    )
    write_csv(
        tmp_path / "villages.csv",
        ["code", "district_code", "name"],
        [["61.71.01.1001", "61.71.01", "Benua Melayu Darat"], ["61.01.01.2001", "61.01.01", "Lumbang"]],
    )
    return tmp_path


@pytest.mark.django_db
def test_import_regions_attaches_children_and_is_idempotent(area_dir):
    call_command("import_regions", str(area_dir))
    assert Region.objects.get(code="61.71.01").parent_id == "61.71"
    assert Region.objects.get(code="61.71.01").level == "district"
    assert Region.objects.get(code="61.71.01.1001").parent_id == "61.71.01"
    assert Region.objects.get(code="61.01.01.2001").level == "village"
    assert not Region.objects.filter(code__startswith="62").exists()  # another province is left out
    snapshot = list(Region.objects.values_list("code", "name", "level", "parent_id"))
    call_command("import_regions", str(area_dir))
    assert list(Region.objects.values_list("code", "name", "level", "parent_id")) == snapshot


@pytest.mark.django_db
def test_import_regions_refuses_a_malformed_file_without_partial_import(area_dir):
    write_csv(
        area_dir / "villages.csv",
        ["code", "district_code", "name"],
        [["61.71.01.1001", "61.71.01", "Benua Melayu Darat"], ["61.71.01.10X2", "61.71.01", "Rusak"]],
    )
    with pytest.raises(CommandError, match="line 3: malformed code"):
        call_command("import_regions", str(area_dir))
    assert Region.objects.count() == 15


@pytest.mark.django_db
def test_import_regions_refuses_an_unknown_parent(area_dir):
    write_csv(
        area_dir / "districts.csv", ["code", "regency_code", "name"], [["61.99.01", "61.99", "Tak Ada"]]
    )
    with pytest.raises(CommandError, match="regency '61.99'"):
        call_command("import_regions", str(area_dir))
    assert Region.objects.count() == 15


@pytest.mark.django_db
def test_import_regions_refuses_a_wrong_header(area_dir):
    write_csv(area_dir / "districts.csv", ["id", "parent", "name"], [["61.71.02", "61.71", "X"]])
    with pytest.raises(CommandError, match="expected the header"):
        call_command("import_regions", str(area_dir))
