"""Demo data for the teams app (called by `manage.py seed_demo` after the demo accounts).

The 15 Tim Terpadu of Kalimantan Barat with invented members (every name ends in "(demo)": no real
person), past and upcoming meetings and follow-ups. Idempotent: a second run adds nothing, except a
fresh "coming soon" meeting when none is left, so that `make run` always shows reminders arriving
within minutes (a 2-hour reminder due about 3 minutes after seeding, an invitation at once).
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from konflik import reminders
from konflik.models import Region

from . import reminder_kinds as kinds
from . import services
from .models import FollowUp, Institution, Meeting, Member, Position, Team

FIRST = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gusti",
    "Hendra",
    "Indah",
    "Joko",
    "Kurnia",
    "Lestari",
]
LAST = [
    "Santoso",
    "Wijaya",
    "Pratama",
    "Lestari",
    "Saputra",
    "Utami",
    "Hidayat",
    "Kusuma",
    "Nugroho",
    "Rahayu",
]
SOON_TITLE = "Rapat terbatas kesiapsiagaan (demo)"


def _short(region):
    return region.name.replace("Kabupaten ", "").replace("Kota ", "").replace("Provinsi ", "")


def _people(seed):
    i = 0
    while True:
        yield f"{FIRST[(seed + i) % len(FIRST)]} {LAST[(seed * 3 + i) % len(LAST)]} (demo)"
        i += 1


def _roster(region):
    """(office, institution name, institution kind, position) of a plausible decree."""
    short = _short(region)
    if region.level == Region.Level.PROVINCE:
        return [
            ("Gubernur Kalimantan Barat", "Pemerintah Provinsi Kalimantan Barat", "opd", "Ketua"),
            ("Kapolda Kalimantan Barat", "Polda Kalimantan Barat", "police", "Wakil Ketua I"),
            ("Pangdam XII/Tanjungpura", "Kodam XII/Tanjungpura", "military", "Wakil Ketua II"),
            ("Kepala Badan Kesbangpol", "Badan Kesbangpol Provinsi Kalimantan Barat", "opd", "Sekretaris"),
            ("Kepala Kejaksaan Tinggi", "Kejaksaan Tinggi Kalimantan Barat", "prosecutor", "Anggota"),
            (
                "Kepala Kanwil Kemenag",
                "Kanwil Kementerian Agama Kalimantan Barat",
                "religious_affairs",
                "Anggota",
            ),
            ("Ketua FKUB Provinsi", "FKUB Provinsi Kalimantan Barat", "fkub", "Anggota"),
            ("Kepala Dinas Sosial", "Dinas Sosial Provinsi Kalimantan Barat", "opd", "Sub-tim Pemulihan"),
        ]
    head = "Wali Kota" if region.level == Region.Level.CITY else "Bupati"
    police = "Polresta" if short == "Pontianak" else "Polres"
    return [
        (f"{head} {short}", f"Pemerintah {region.name}", "opd", "Ketua"),
        (f"Kapolres {short}", f"{police} {short}", "police", "Wakil Ketua I"),
        (f"Dandim {short}", f"Kodim {short}", "military", "Wakil Ketua II"),
        ("Kepala Kesbangpol", f"Badan Kesbangpol {region.name}", "opd", "Sekretaris"),
        ("Kepala Kejaksaan Negeri", f"Kejaksaan Negeri {short}", "prosecutor", "Anggota"),
        ("Kepala Kantor Kemenag", f"Kantor Kementerian Agama {region.name}", "religious_affairs", "Anggota"),
        ("Ketua FKUB", f"FKUB {region.name}", "fkub", "Sub-tim Pencegahan"),
        ("Ketua Dewan Adat", f"Dewan Adat {short}", "community", "Anggota"),
    ]


def _team(actor, region, n):
    team = Team.objects.filter(region=region).first() or services.team_create(
        actor=actor,
        region=region,
        name=f"Tim Terpadu Penanganan Konflik Sosial {region.name}",
        secretariat_unit=f"Badan Kesatuan Bangsa dan Politik {region.name}",
    )
    if team.current_decree_id:
        return team, False
    services.decree_start(
        actor=actor,
        team=team,
        number=f"100.3.3.2/{40 + n}/KESBANGPOL/2026",
        date=date(2026, 1, 12),
        valid_from=date(2026, 1, 12),
        valid_until=date(2026, 12, 31),
    )
    positions = {p.name: p for p in Position.objects.all()}
    people = _people(n)
    for office, institution_name, kind, position in _roster(region):
        institution, _ = Institution.objects.get_or_create(
            region=region, name=institution_name, defaults={"kind": kind}
        )
        name = next(people)
        slug = name.split(" (")[0].lower().replace(" ", ".")
        services.member_create(
            actor=actor,
            team=team,
            name=name,
            office=office,
            institution=institution,
            position=positions[position],
            phone=f"+62 812 {5000 + n:04d} {len(slug):04d}",
            email=f"{slug}.{region.code.replace('.', '')}@demo.konflik.localhost",
        )
    return team, True


def _meetings(actor, team, now, n):
    members = list(team.members.all()[:6])
    year = timezone.localdate().year
    tz = timezone.get_current_timezone()

    def at(day, hour):
        return timezone.make_aware(
            timezone.datetime.combine(day, timezone.datetime.min.time()), tz
        ) + timedelta(hours=hour)

    drafting = services.meeting_schedule(
        actor=actor,
        team=team,
        kind=Meeting.Kind.PLAN_DRAFTING,
        title=f"Penyusunan Rencana Aksi Terpadu {year} (demo)",
        start=at(date(year, 1, 20), 9),
        end=at(date(year, 1, 20), 12),
        place=f"Aula {team.secretariat_unit}",
        agenda="1. Usulan kegiatan OPD dan instansi vertikal\n2. Program nasional (P3AKS, pemetaan potensi konflik)",
        invited_members=members,
    )
    services.meeting_update(
        actor=actor, meeting=drafting, status=Meeting.Status.HELD, minutes="Rencana aksi disepakati."
    )
    evaluation = services.meeting_schedule(
        actor=actor,
        team=team,
        kind=Meeting.Kind.PERIOD_EVALUATION,
        period="B04",
        title="Evaluasi pelaksanaan Rencana Aksi periode B.04 (demo)",
        start=now - timedelta(days=20 + n),
        end=now - timedelta(days=20 + n) + timedelta(hours=3),
        place=f"Ruang rapat {team.secretariat_unit}",
        invited_members=members,
    )
    services.meeting_update(actor=actor, meeting=evaluation, status=Meeting.Status.HELD)
    today = timezone.localdate()
    for i, (text, due, done) in enumerate(
        [
            ("Menyampaikan data dukung realisasi B.04 ke sekretariat", today - timedelta(days=3), False),
            ("Patroli bersama di wilayah rawan sengketa lahan", today + timedelta(days=10), False),
            ("Sosialisasi peran FKUB di kecamatan", today - timedelta(days=8), True),
        ]
    ):
        item = services.followup_create(
            actor=actor,
            meeting=evaluation,
            description=text,
            owner=members[(i + n) % len(members)],
            due_date=due,
        )
        if done:
            services.followup_complete(actor=actor, follow_up=item)
    services.meeting_schedule(
        actor=actor,
        team=team,
        kind=Meeting.Kind.LIMITED,
        title="Rapat terbatas antisipasi konflik sengketa lahan (demo)",
        start=now + timedelta(days=9 + n % 5, hours=2),
        end=now + timedelta(days=9 + n % 5, hours=4),
        online_link="https://rapat.example.go.id/demo",
        agenda="1. Paparan situasi\n2. Langkah pencegahan",
        invited_members=members,
    )


def _soon(actor, now):
    """A meeting whose 2-hour reminder falls ~3 minutes from now, once per `make run` if none is left."""
    pontianak = Team.objects.filter(region_id="61.71").first()
    if (
        pontianak is None
        or Meeting.objects.filter(
            team=pontianak,
            title=SOON_TITLE,
            status=Meeting.Status.SCHEDULED,
            start__gt=now + timedelta(minutes=121),
        ).exists()
    ):
        return None
    members = list(pontianak.members.filter(user__isnull=False)) + list(pontianak.members.all()[:3])
    start = (now + timedelta(minutes=123)).replace(second=0, microsecond=0)
    meeting = services.meeting_schedule(
        actor=actor,
        team=pontianak,
        kind=Meeting.Kind.LIMITED,
        title=SOON_TITLE,
        start=start,
        end=start + timedelta(hours=1),
        place="Aula Badan Kesbangpol Kota Pontianak",
        agenda="1. Kesiapsiagaan menjelang hari besar keagamaan",
        invited_members=list(dict.fromkeys(members)),
        invited_teams=[],
    )
    # An overdue follow-up whose reminder also arrives within minutes.
    item = (
        FollowUp.objects.filter(meeting__team=pontianak, status=FollowUp.Status.OPEN)
        .order_by("due_date")
        .first()
    )
    if item is not None:
        reminders.schedule(
            kind=kinds.FOLLOWUP_OVERDUE,
            obj=item,
            due_at=now + timedelta(minutes=4),
            payload={"days": 0, "due_date": item.due_date.isoformat()},
        )
    return meeting


@transaction.atomic
def seed(*, stdout, scale="demo"):
    User = get_user_model()
    actor = User.objects.filter(username="sekprov").first()
    if actor is None:
        stdout.write("teams: no 'sekprov' account, demo teams skipped")
        return
    now = timezone.now()
    regions = Region.objects.filter(
        level__in=[Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY], code__startswith="61"
    ).order_by("code")
    created = 0
    teams = {}
    for n, region in enumerate(regions):
        team, new = _team(actor, region, n)
        teams[region.code] = team
        if new:
            created += 1
            _meetings(actor, team, now, n)
    anggota = User.objects.filter(username="anggota").first()
    if anggota is not None and "61.71" in teams and not Member.objects.filter(user=anggota).exists():
        member = teams["61.71"].members.order_by("id").last()
        services.member_update(actor=actor, member=member, user=anggota)
        # an open item of their own, which the demo member can mark done on its page
        meeting = Meeting.objects.filter(team=teams["61.71"], kind=Meeting.Kind.PERIOD_EVALUATION).first()
        if meeting is not None and not member.follow_ups.exists():
            services.followup_create(
                actor=actor,
                meeting=meeting,
                description="Melaporkan hasil pemantauan lapangan ke sekretariat (demo)",
                owner=member,
                due_date=timezone.localdate() + timedelta(days=5),
            )
    if created and "61" in teams:
        services.meeting_schedule(
            actor=actor,
            team=teams["61"],
            kind=Meeting.Kind.OTHER,
            title="Rapat koordinasi Tim Terpadu provinsi dan kabupaten/kota (demo)",
            start=now + timedelta(days=1, minutes=5),
            end=now + timedelta(days=1, hours=3),
            place="Balai Petitih, Kantor Gubernur Kalimantan Barat",
            agenda="1. Evaluasi penanganan konflik\n2. Rencana aksi bersama",
            invited_teams=[t for code, t in teams.items() if code != "61"][:6],
        )
    soon = _soon(actor, now)
    stdout.write(
        f"teams: {len(teams)} teams ({created} new)"
        + (
            f"; '{soon.title}' at {timezone.localtime(soon.start):%H:%M} WIB, reminders due within minutes"
            if soon
            else ""
        )
    )
