"""Demo accounts, one per role (printed with their password by `seed_demo`)."""

from django.conf import settings

from .models import User
from .services import user_provision

DEMO_ACCOUNTS = [
    # username, role, region, description
    ("admin", User.Role.ADMIN, None, "Administrator"),
    ("sekprov", User.Role.PROVINCE_SECRETARIAT, "61", "Sekretariat Tim Terpadu Provinsi Kalimantan Barat"),
    ("sek-pontianak", User.Role.REGENCY_SECRETARIAT, "61.71", "Sekretariat Tim Terpadu Kota Pontianak"),
    ("sek-sambas", User.Role.REGENCY_SECRETARIAT, "61.01", "Sekretariat Tim Terpadu Kabupaten Sambas"),
    ("pimpinan", User.Role.LEADERSHIP, "61", "Pimpinan Provinsi (Gubernur, Sekda, Kepala Kesbangpol)"),
    ("pimpinan-pontianak", User.Role.LEADERSHIP, "61.71", "Pimpinan Kota Pontianak"),
    ("anggota", User.Role.MEMBER, "61.71", "Anggota Tim Terpadu Kota Pontianak"),
]


def seed(*, stdout, scale="demo"):
    password = settings.KONFLIK_DEMO_PASSWORD
    for username, role, region, description in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user_provision(
                username=username,
                role=role,
                region_code=region,
                password=password,
                email=f"{username}@konflik.localhost",
                first_name=description[:150],
            )
    stdout.write(f"Demo accounts (password for all: {password}):")
    for username, role, region, description in DEMO_ACCOUNTS:
        stdout.write(f"  {username:<20} {role:<22} {region or '-':<6} {description}")
