"""Demo data for the incidents app (called by `manage.py seed_demo`; idempotent).

`demo`: a year of plausible reports across the 14 regencies/cities in every workflow state, filed and
reviewed through the services (so each has its history), a few early-warning records and one expired
Status Keadaan Konflik. `kalbar`: additionally ~5,000 reports written in bulk for the benchmark.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from konflik.models import Region, User

from . import services
from .models import ConflictPotential, ConflictStatus, Incident, IncidentSequence

CENTRES = {
    "61.01": (1.36, 109.30),
    "61.02": (0.36, 108.96),
    "61.03": (0.12, 110.59),
    "61.04": (-1.85, 109.98),
    "61.05": (0.07, 111.50),
    "61.06": (0.85, 112.93),
    "61.07": (0.82, 109.48),
    "61.08": (0.38, 109.95),
    "61.09": (0.03, 110.95),
    "61.10": (-0.34, 111.70),
    "61.11": (-1.18, 109.95),
    "61.12": (-0.35, 109.45),
    "61.71": (-0.03, 109.33),
    "61.72": (0.91, 108.98),
}
DISTRICTS = [
    ("61.71.01", "Pontianak Selatan"),
    ("61.71.02", "Pontianak Timur"),
    ("61.71.03", "Pontianak Barat"),
    ("61.71.04", "Pontianak Utara"),
    ("61.71.05", "Pontianak Kota"),
    ("61.71.06", "Pontianak Tenggara"),
]
STORIES = [
    (
        "natural_resource_dispute",
        "resources",
        "Sengketa lahan plasma antara warga dan perusahaan sawit",
        [("Warga Desa", "community"), ("PT perkebunan sawit", "company")],
        "Warga memblokade jalan kebun menuntut pembagian plasma 20 persen yang dijanjikan perusahaan.",
    ),
    (
        "boundary_dispute",
        "governance",
        "Sengketa tapal batas desa",
        [("Warga desa pertama", "community"), ("Warga desa tetangga", "community")],
        "Pemasangan patok batas oleh satu desa ditolak warga desa tetangga; terjadi adu mulut dan perusakan patok.",
    ),
    (
        "political_economic_sociocultural",
        "election",
        "Ketegangan pendukung calon kepala desa",
        [("Pendukung calon nomor 1", "political_group"), ("Pendukung calon nomor 2", "political_group")],
        "Setelah penghitungan suara pilkades, massa pendukung berkumpul di kantor desa dan saling lempar.",
    ),
    (
        "religion_ethnicity",
        "identity",
        "Perkelahian antarkelompok pemuda berlatar etnis",
        [("Kelompok pemuda kampung", "ethnic_group"), ("Kelompok pemuda pendatang", "ethnic_group")],
        "Perkelahian di acara hiburan malam meluas karena isu kesukuan yang beredar di media sosial.",
    ),
    (
        "natural_resource_distribution",
        "resources",
        "Protes pembagian hasil tambang emas rakyat",
        [("Penambang lokal", "community"), ("Pemodal tambang", "company")],
        "Penambang lokal memprotes pembagian hasil dan kerusakan sungai; alat berat dibakar.",
    ),
    (
        "political_economic_sociocultural",
        "vigilantism",
        "Main hakim sendiri terhadap terduga pencuri",
        [("Massa warga", "community"), ("Terduga pelaku dan keluarga", "other")],
        "Seorang terduga pencuri dihakimi massa; keluarga terduga pelaku mendatangi kampung dan terjadi bentrok.",
    ),
]


def _coord(value):
    return Decimal(f"{value:.6f}")


def _ensure_places():
    for code, name in DISTRICTS:
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "district", "parent_id": "61.71"}
        )
    Region.objects.get_or_create(
        code="61.71.01.1001",
        defaults={"name": "Benua Melayu Darat", "level": "village", "parent_id": "61.71.01"},
    )


def _actor_for(region_code, users):
    return users.get(region_code) or users["61"]


def seed(*, stdout, scale="demo"):
    if not Region.objects.filter(code="61.71").exists():
        stdout.write("incidents: regions missing, nothing seeded")
        return
    _ensure_places()
    if Incident.objects.exists():
        stdout.write("incidents: demo data already present")
    else:
        _seed_demo(stdout)
    if scale in ("kalbar", "national"):
        _seed_bulk(stdout, target=5000)


def _seed_demo(stdout):
    users = {
        u.region_id: u
        for u in User.objects.filter(
            username__in=["sekprov", "sek-pontianak", "sek-sambas"], is_active=True
        ).select_related("region")
    }
    province = users.get("61")
    if province is None:
        stdout.write("incidents: demo accounts missing, nothing seeded")
        return
    rng = random.Random(2026)  # noqa: S311 (demo data)
    today = timezone.localdate()
    made = []
    with transaction.atomic():
        for n in range(84):
            region = list(CENTRES)[n % len(CENTRES)]
            source, snpk, title, parties, chronology = STORIES[n % len(STORIES)]
            occurred = today - datetime.timedelta(days=rng.randint(1, 360))
            lat, lng = CENTRES[region]
            deaths = rng.choice([0] * 12 + [1, 2])
            data = {
                "title": f"{title}",
                "occurred_on": occurred,
                "date_precision": rng.choice(["day"] * 8 + ["week", "month"]),
                "reported_at": timezone.make_aware(
                    datetime.datetime.combine(occurred + datetime.timedelta(days=1), datetime.time(10))
                )
                if occurred + datetime.timedelta(days=1) <= today
                else timezone.now(),
                "source_of_conflict": source,
                "snpk_issue": snpk,
                "parties": [{"name": name, "kind": kind} for name, kind in parties],
                "people_involved": rng.randint(10, 400),
                "deaths": deaths,
                "injured": rng.randint(0, 12),
                "displaced": rng.choice([0, 0, 0, 15, 60, 120]),
                "buildings_damaged": rng.randint(0, 5),
                "estimated_loss": rng.choice([0, 5_000_000, 25_000_000, 150_000_000]),
                "chronology": chronology,
                "handling": "Polres dan Kodim menurunkan personel; mediasi difasilitasi Kesbangpol dan FKUB.",
                "handled_by": "Polres, Kodim, Kesbangpol",
                "information_source": "Laporan Bhabinkamtibmas dan kepala desa",
                "stage": rng.choice(["occurring", "handled", "recovery"]),
                "latitude": _coord(lat + rng.uniform(-0.25, 0.25)),
                "longitude": _coord(lng + rng.uniform(-0.25, 0.25)),
            }
            if region == "61.71":
                data["district_id"] = DISTRICTS[n % len(DISTRICTS)][0]
            actor = _actor_for(region, users)
            district = data.pop("district_id", None)
            if district:
                data["district"] = Region.objects.get(code=district)
            incident = services.incident_create(actor=actor, region=region, data=data)
            made.append((incident, actor))

        # Every state: the oldest reports go furthest through the workflow.
        made.sort(key=lambda pair: pair[0].occurred_on)
        for i, (incident, actor) in enumerate(made):
            state = ["closed", "verified", "verified", "submitted", "returned", "draft"][i * 6 // len(made)]
            if state == "draft":
                continue
            incident = services.incident_submit(incident=incident, actor=actor)
            if state == "submitted":
                continue
            if state == "returned":
                services.incident_return(
                    incident=incident,
                    actor=province,
                    note="Lengkapi jumlah pengungsi dan pihak yang menangani.",
                )
                continue
            incident = services.incident_verify(incident=incident, actor=province)
            if i % 4 == 0:
                services.incident_add_update(
                    incident=incident,
                    actor=actor,
                    data={
                        "description": "Situasi kondusif; warga yang mengungsi mulai kembali.",
                        "displaced": 0,
                    },
                )
            if state == "closed":
                services.incident_close(
                    incident=incident,
                    actor=province,
                    resolved_on=min(today, incident.occurred_on + datetime.timedelta(days=30)),
                    note="Kesepakatan damai ditandatangani para pihak.",
                )

        potentials = [
            ("61.04", "Klaim tanah adat di areal konsesi", "natural_resource_dispute", 3, 4),
            ("61.71", "Potensi gesekan jelang pilkada", "political_economic_sociocultural", 2, 3),
            ("61.01", "Sengketa batas desa di perbatasan kecamatan", "boundary_dispute", 2, 2),
            ("61.05", "Penambangan emas tanpa izin di hulu sungai", "natural_resource_distribution", 3, 3),
            ("61.72", "Isu SARA di media sosial", "religion_ethnicity", 1, 3),
        ]
        for region, title, source, likelihood, impact in potentials:
            lat, lng = CENTRES[region]
            services.potential_create(
                actor=_actor_for(region, users),
                region=region,
                data={
                    "title": title,
                    "source_of_conflict": source,
                    "description": title + ".",
                    "indicators": "Pertemuan massa, spanduk penolakan, laporan intelijen Kodim.",
                    "likelihood": likelihood,
                    "impact": impact,
                    "recommended_actions": "Rapat koordinasi terbatas Tim Terpadu; dialog para pihak.",
                    "owner": "Kesbangpol",
                    "next_review_on": today + datetime.timedelta(days=rng.randint(7, 60)),
                    "latitude": _coord(lat + 0.1),
                    "longitude": _coord(lng - 0.1),
                },
            )

        start = today - datetime.timedelta(days=200)
        sambas = [i for i, _ in made if i.region_id == "61.01" and i.status != Incident.Status.DRAFT][:2]
        services.status_create(
            actor=_actor_for("61.01", users),
            scale=ConflictStatus.Scale.REGENCY,
            region="61.01",
            data={
                "decree_number": "188.45/112/HK/2026",
                "decree_date": start - datetime.timedelta(days=1),
                "declared_by": "Bupati Sambas",
                "dprd_consultation_on": start - datetime.timedelta(days=2),
                "start_date": start,
                "end_date": start + datetime.timedelta(days=90),
                "notes": "Ditetapkan setelah bentrokan meluas di dua kecamatan (contoh: sudah berakhir).",
            },
            incidents=[i.pk for i in sambas],
        )
    stdout.write(
        f"incidents: {Incident.objects.count()} reports, {ConflictPotential.objects.count()} early-warning "
        f"records, {ConflictStatus.objects.count()} Status Keadaan Konflik"
    )


def _seed_bulk(stdout, *, target):
    """Benchmark scale: plain rows in bulk (no audit trail), numbered from each regency's counter."""
    missing = target - Incident.objects.count()
    if missing <= 0:
        return
    rng = random.Random(61)  # noqa: S311
    today = timezone.localdate()
    regions = list(CENTRES)
    rows = []
    with transaction.atomic():
        for n in range(missing):
            region = regions[n % len(regions)]
            occurred = today - datetime.timedelta(days=rng.randint(1, 730))
            sequence, number = services.allocate_number(region_code=region, year=occurred.year)
            source, snpk, title, parties, chronology = STORIES[n % len(STORIES)]
            status = rng.choice(["submitted", "verified", "verified", "closed"])
            lat, lng = CENTRES[region]
            rows.append(
                Incident(
                    number=number,
                    year=occurred.year,
                    sequence=sequence,
                    region_id=region,
                    status=status,
                    occurred_on=occurred,
                    title=title,
                    source_of_conflict=source,
                    snpk_issue=snpk,
                    parties=[{"name": name, "kind": kind} for name, kind in parties],
                    deaths=rng.choice([0] * 15 + [1]),
                    injured=rng.randint(0, 6),
                    chronology=chronology,
                    stage="resolved" if status == "closed" else "handled",
                    verified_at=timezone.now() if status in ("verified", "closed") else None,
                    resolved_on=occurred if status == "closed" else None,
                    latitude=_coord(lat + rng.uniform(-0.3, 0.3)),
                    longitude=_coord(lng + rng.uniform(-0.3, 0.3)),
                    search_text=f"{title}\n{chronology}\n" + " ".join(p for p, _ in parties),
                )
            )
        Incident.objects.bulk_create(rows, batch_size=1000)
    stdout.write(f"incidents: {len(rows)} bulk reports added ({IncidentSequence.objects.count()} counters)")
