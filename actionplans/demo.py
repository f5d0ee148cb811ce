"""Demo action plans: every team gets a plan for the current year, approved, with a dozen activities
across the three strategies and realisations in every state (accepted, returned, submitted late,
draft, missing). Idempotent: a team that already has this year's plan is left alone."""

import datetime
from decimal import Decimal

from django.utils import timezone

from konflik.models import Region, User
from teams.models import Institution, Team

from . import periods, services
from .models import ActionPlan, SubType

# (sub_type, title, indicator, unit, targets B04/B08/B12, budget, funding, national)
ACTIVITIES = [
    (
        "prevention_peace",
        "Dialog kebangsaan dan pembinaan kerukunan antarumat beragama",
        "Kegiatan dialog terlaksana",
        "kegiatan",
        (2, 2, 2),
        75_000_000,
        "apbd",
        False,
    ),
    (
        "prevention_early_warning",
        "Pemetaan wilayah potensi konflik menjelang pemilihan",
        "Peta potensi konflik diperbarui",
        "dokumen",
        (1, 1, 1),
        50_000_000,
        "apbd",
        True,
    ),
    (
        "prevention_early_warning",
        "Rapat FKDM dan pertukaran informasi kewaspadaan dini",
        "Rapat FKDM terlaksana",
        "rapat",
        (3, 3, 3),
        30_000_000,
        "apbd",
        False,
    ),
    (
        "prevention_damping",
        "Sosialisasi pencegahan konflik sosial di desa rawan",
        "Desa tersosialisasi",
        "desa",
        (5, 5, 4),
        40_000_000,
        "apbd",
        False,
    ),
    (
        "prevention_dispute_resolution",
        "Mediasi sengketa batas desa",
        "Sengketa dimediasi",
        "kasus",
        (1, 2, 1),
        25_000_000,
        "apbd",
        False,
    ),
    (
        "prevention_peace",
        "Pencegahan P3AKS: perlindungan perempuan dan anak dalam konflik",
        "Kegiatan P3AKS",
        "kegiatan",
        (1, 1, 1),
        20_000_000,
        "apbn",
        True,
    ),
    (
        "stopping_violence",
        "Patroli gabungan di wilayah rawan konflik",
        "Patroli terlaksana",
        "kali",
        (6, 6, 6),
        None,
        "other",
        False,
    ),
    (
        "stopping_rescue",
        "Gladi posko tanggap darurat konflik sosial",
        "Gladi posko terlaksana",
        "kegiatan",
        (None, 1, None),
        35_000_000,
        "apbd",
        True,
    ),
    (
        "stopping_conflict_status",
        "Penyiapan mekanisme penetapan Status Keadaan Konflik",
        "SOP tersusun",
        "dokumen",
        (None, None, 1),
        10_000_000,
        "apbd",
        False,
    ),
    (
        "recovery_reconciliation",
        "Fasilitasi rekonsiliasi pascakonflik",
        "Pertemuan rekonsiliasi",
        "kegiatan",
        (0, 1, 1),
        15_000_000,
        "apbd",
        False,
    ),
    (
        "recovery_rehabilitation",
        "Pemulihan psikososial korban konflik",
        "Korban didampingi",
        "orang",
        (10, 10, 10),
        45_000_000,
        "apbn",
        False,
    ),
    (
        "recovery_reconstruction",
        "Perbaikan fasilitas umum terdampak konflik",
        "Fasilitas diperbaiki",
        "unit",
        (None, 1, 1),
        150_000_000,
        "apbd",
        False,
    ),
]
INSTITUTIONS = ["Badan Kesatuan Bangsa dan Politik", "Polres", "Kodim", "Dinas Sosial", "FKUB"]


def _actor_for(region_code):
    user = User.objects.filter(
        region_id=region_code, role__in=["regency_secretariat", "province_secretariat"]
    ).first()
    return user or User.objects.filter(role="admin").first() or User.objects.filter(is_superuser=True).first()


def _at(day: datetime.date, hour=10):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=periods.WIB)


def seed(*, stdout, scale="demo"):
    now = timezone.now()
    year = timezone.localdate().year
    # Kalimantan Barat's teams only: the national scale adds other provinces' plans in bulk (dashboard.demo).
    regions = Region.objects.filter(
        level__in=["province", "regency", "city"], code__startswith="61"
    ).order_by("code")
    reviewer = (
        User.objects.filter(role="province_secretariat").first() or User.objects.filter(role="admin").first()
    )
    if reviewer is None:
        stdout.write("actionplans: no province secretariat or admin account; demo plans skipped")
        return
    made = 0
    for index, region in enumerate(regions):
        team, _created = Team.objects.get_or_create(
            region=region, defaults={"name": f"Tim Terpadu Penanganan Konflik Sosial {region.name}"}
        )
        if ActionPlan.objects.filter(team=team, year=year).exists():
            continue
        actor = _actor_for(region.code) or reviewer
        institutions = []
        for name in INSTITUTIONS:
            institution, _ = Institution.objects.get_or_create(region=region, name=f"{name} {region.name}")
            institutions.append(institution)
        plan = services.plan_create(
            actor=actor, team=team, year=year, notes="Disusun dari usulan OPD dan instansi vertikal."
        )
        activities = []
        for position, (sub_type, title, indicator, unit, targets, budget, funding, national) in enumerate(
            ACTIVITIES, 1
        ):
            b04, b08, b12 = (Decimal(t) if t is not None else None for t in targets)
            total = sum(t for t in (b04, b08, b12) if t is not None)
            activities.append(
                services.activity_create(
                    actor=actor,
                    plan=plan,
                    position=position,
                    strategy=SubType(sub_type).value.split("_")[0],
                    sub_type=sub_type,
                    title=title,
                    indicator=indicator,
                    unit=unit,
                    target_b04=b04,
                    target_b08=b08,
                    target_b12=b12,
                    target_year=total,
                    budget=Decimal(budget) if budget else None,
                    funding_source=funding,
                    is_national=national,
                    responsible_institution=institutions[position % len(institutions)],
                    related_institutions=[institutions[(position + 1) % len(institutions)]],
                )
            )
        services.plan_approve(
            actor=actor,
            plan=plan,
            approved_on=min(datetime.date(year, 1, 20), timezone.localdate()),
            approval_reference=f"Keputusan Ketua Tim Terpadu Nomor {100 + index}/{year}",
        )
        _seed_realisations(plan, activities, actor, reviewer, index, now)
        made += 1
    stdout.write(f"actionplans: {made} demo plans for {year}")


def _seed_realisations(plan, activities, actor, reviewer, index, now):
    """B04: accepted (a few teams late, one returned); B08: submitted, some drafts; B12 (when it has
    started): drafts. Some activities are left without a realisation (missing)."""
    year = plan.year
    for period in periods.PERIODS:
        if not periods.period_started(year, period, now=now):
            continue
        closed = now >= periods.deadline_at(year, period)
        for n, activity in enumerate(activities):
            target = activity.target_for(period)
            if target is None:
                continue
            if period == periods.Period.B12 and n % 2:
                continue  # the current period is half done
            if period == periods.Period.B08 and (index + n) % 7 == 0:
                continue  # missing
            ratio = Decimal([1, Decimal("0.8"), Decimal("1.2"), Decimal("0.5"), 1][(index + n) % 5])
            realisation = services.realisation_create(
                actor=actor,
                activity=activity,
                period=period,
                value=(target * ratio).quantize(Decimal("0.01")),
                narrative=f"{activity.title}: terlaksana sesuai rencana periode {period}.",
                obstacles="Keterbatasan anggaran dan jadwal narasumber." if n % 3 == 0 else "",
                next_steps="Dilanjutkan pada periode berikutnya." if n % 2 == 0 else "",
                now=now,
            )
            if period == periods.Period.B12 and not closed:
                continue  # drafts
            deadline = periods.deadline_date(year, period)
            late = index % 4 == 3 and period == periods.Period.B04
            submit_at = (
                _at(deadline + datetime.timedelta(days=3))
                if late
                else _at(deadline - datetime.timedelta(days=2))
            )
            realisation = services.realisation_submit(
                actor=actor, realisation=realisation, now=min(submit_at, now)
            )
            if period == periods.Period.B04:
                if n == 1 and index % 3 == 0:
                    services.realisation_return(
                        actor=reviewer,
                        realisation=realisation,
                        note="Lengkapi data dukung berupa daftar hadir dan foto kegiatan.",
                    )
                else:
                    services.realisation_accept(actor=reviewer, realisation=realisation)
