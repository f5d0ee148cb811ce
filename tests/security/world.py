"""One object of every kind in regency A (61.71), regency B (61.01) and the province (61), built through
the services as in production, for the permission matrix, the leak scan and the write-scope attacks.

`build_world(users, marker=...)` returns `{"A": Objects, "B": Objects, "P": Objects}`. With a marker, every
free-text field of the region's objects carries it (`<marker>` in the leak scan), so that a response that
shows any of them can be caught by searching for the string.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from konflik.models import Notification, Region

REGIONS = {"A": "61.71", "B": "61.01", "P": "61"}
DISTRICTS = {"A": ("61.71.01", "Pontianak Selatan"), "B": ("61.01.01", "Sambas")}
COORDINATES = {"A": ("-0.026300", "109.342500"), "B": ("1.360000", "109.300000")}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Objects:
    """The objects of one region; `None` where a kind does not exist at that level."""

    region: str
    team: object = None
    institution: object = None
    member: object = None
    meeting: object = None
    minutes: object = None
    follow_up: object = None
    plan: object = None
    activity: object = None
    realisation: object = None
    evidence: object = None
    incident: object = None
    incident_verified: object = None
    update: object = None
    attachment: object = None
    potential: object = None
    status: object = None
    notification: object = None
    extra: dict = field(default_factory=dict)


def pdf(name="notulen.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ensure_places():
    for key, (code, name) in DISTRICTS.items():
        Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": "district", "parent_id": REGIONS[key]}
        )


def build_region(key, *, actor, notified, member_user=None, marker=""):
    """Everything of one region. `actor` must be able to write there (the province secretariat can)."""
    from actionplans import services as plans
    from actionplans import uploads as plan_uploads
    from incidents import services as incidents
    from teams import services as teams
    from teams import uploads as team_uploads
    from teams.models import Position, Team

    code = REGIONS[key]
    region = Region.objects.get(code=code)
    m = f" {marker}" if marker else ""
    out = Objects(region=code)
    today = timezone.localdate()

    out.team = Team.objects.filter(region=region).first() or teams.team_create(
        actor=actor, region=region, name=f"Tim Terpadu {region.name}{m}", secretariat_unit=f"Kesbangpol{m}"
    )
    out.institution = teams.institution_create(actor=actor, region=region, name=f"Polres {region.name}{m}")
    out.member = teams.member_create(
        actor=actor,
        team=out.team,
        name=f"Anggota {key}{m}",
        office=f"Kepala Seksi{m}",
        institution=out.institution,
        position=Position.objects.order_by("order").first(),
        email=f"anggota-{key.lower()}@example.test",
        phone="0812000000",
        user=member_user,
    )
    start = timezone.now() + datetime.timedelta(days=10)
    out.meeting = teams.meeting_schedule(
        actor=actor,
        team=out.team,
        invited_members=[out.member],
        title=f"Rapat {key}{m}",
        kind="limited",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place=f"Aula{m}",
        agenda=f"Agenda{m}",
    )
    out.minutes = teams.attachment_add(
        actor=actor, meeting=out.meeting, clean=team_uploads.clean_upload(pdf(f"notulen{key}.pdf"))
    )
    out.follow_up = teams.followup_create(
        actor=actor,
        meeting=out.meeting,
        description=f"Tindak lanjut {key}{m}",
        owner=out.member,
        due_date=today + datetime.timedelta(days=5),
    )

    year = today.year
    out.plan = plans.plan_create(actor=actor, team=out.team, year=year, notes=f"Catatan{m}")
    out.activity = plans.activity_create(
        actor=actor,
        plan=out.plan,
        strategy="prevention",
        sub_type="prevention_peace",
        title=f"Dialog kerukunan {key}{m}",
        description=f"Uraian{m}",
        indicator=f"Kegiatan terlaksana{m}",
        unit="kegiatan",
        target_b04=Decimal(10),
        target_b08=Decimal(10),
        target_b12=Decimal(10),
        funding_source="apbd",
    )
    out.realisation = plans.realisation_create(
        actor=actor,
        activity=out.activity,
        period="B04",
        value=Decimal(5),
        narrative=f"Narasi{m}",
        obstacles=f"Kendala{m}",
        next_steps=f"Langkah{m}",
    )
    out.evidence = plans.evidence_add(
        actor=actor, realisation=out.realisation, files=plan_uploads.check_uploads([pdf(f"bukti{key}.pdf")])
    )[0]

    if key in DISTRICTS:
        lat, lon = COORDINATES[key]

        def report(title):
            return {
                "title": f"{title}{m}",
                "occurred_on": today - datetime.timedelta(days=2),
                "date_precision": "day",
                "source_of_conflict": "natural_resource_dispute",
                "parties": [
                    {"name": f"Warga Desa{m}", "kind": "community"},
                    {"name": f"PT Sawit{m}", "kind": "company"},
                ],
                "people_involved": 10,
                "deaths": 0,
                "injured": 1,
                "displaced": 0,
                "buildings_damaged": 0,
                "chronology": f"Kronologi{m}",
                "handling": f"Penanganan{m}",
                "handled_by": f"Polsek{m}",
                "information_source": f"Sumber{m}",
                "place": f"Dusun{m}",
                "stage": "occurring",
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
            }

        out.incident = incidents.incident_create(
            actor=actor, region=code, data=report(f"Bentrok {key}"), files=[pdf(f"foto{key}.pdf")]
        )
        out.attachment = out.incident.attachments.get()
        verified = incidents.incident_create(actor=actor, region=code, data=report(f"Sengketa {key}"))
        incidents.incident_submit(incident=verified, actor=actor)
        incidents.incident_verify(incident=verified, actor=actor)
        out.update = incidents.incident_add_update(
            incident=verified,
            actor=actor,
            data={"occurred_on": today, "description": f"Perkembangan {key}{m}", "stage": "handled"},
        )
        verified.refresh_from_db()
        out.incident_verified = verified
        out.potential = incidents.potential_create(
            actor=actor,
            region=code,
            data={
                "title": f"Potensi {key}{m}",
                "source_of_conflict": "boundary_dispute",
                "description": f"Uraian potensi{m}",
                "indicators": f"Indikator{m}",
                "recommended_actions": f"Rekomendasi{m}",
                "owner": f"Kesbangpol{m}",
                "place": f"Kampung{m}",
                "likelihood": 2,
                "impact": 3,
            },
        )
    scale = "province" if key == "P" else "regency"
    out.status = incidents.status_create(
        actor=actor,
        scale=scale,
        region=code,
        data={
            "decree_number": f"188.45/{key}/{year}{m}",
            "decree_date": today - datetime.timedelta(days=5),
            "declared_by": f"Kepala Daerah{m}",
            "start_date": today - datetime.timedelta(days=5),
            "end_date": today + datetime.timedelta(days=30),
            "notes": f"Catatan status{m}",
        },
        incidents=[out.incident] if out.incident else [],
    )
    out.notification = Notification.objects.create(
        user=notified, title=f"Pemberitahuan {key}{m}", body=f"Isi{m}", url="/beranda/"
    )
    out.extra["period_report"] = period_report(out.team, year=year, marker=m)
    return out


def period_report(team, *, year, marker=""):
    """A finished periodic report of the team, with its files (dashboard app)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from dashboard.models import PeriodicReport

    report = PeriodicReport.objects.create(
        team=team, year=year, period="B04", status="done", progress=100, step=f"selesai{marker}"
    )
    report.pdf_file.name = default_storage.save("dashboard/reports/uji.pdf", ContentFile(PDF))
    report.xlsx_file.name = default_storage.save(
        "dashboard/reports/uji.xlsx", ContentFile(b"PK\x05\x06" + b"\0" * 18)
    )
    report.save()
    return report


def build_shared_meeting(world, *, actor, markers=None):
    """A province meeting that regency A and regency B are both invited to, the nested rows of each.

    The teams of A and B are invited, and by name a member of A, of B and of the province and the
    province's institution; follow-up items are owned by a member of each. The meeting's own fields
    carry no marker (A may read them); every row of B or of the province hanging off it carries that
    region's marker, and answers 404 to A on its own, so it must not reach A nested either.
    Returns `[Objects, ...]`: one per region's view of it (meeting, minutes and that region's item).
    """
    from teams import services as teams
    from teams import uploads as team_uploads

    markers = markers or {}
    a, b, p = world["A"], world["B"], world["P"]
    # The organiser's name is shown to every invitee (as the organiser of their own meeting would be):
    # it carries no marker; the province team's other fields keep theirs.
    teams.team_update(actor=actor, team=p.team, name="Tim Terpadu Provinsi Kalimantan Barat")
    start = timezone.now() + datetime.timedelta(days=12)
    meeting = teams.meeting_schedule(
        actor=actor,
        team=p.team,
        invited_teams=[a.team, b.team],
        invited_members=[a.member, b.member, p.member],
        invited_institutions=[p.institution],
        title="Rapat koordinasi bersama",
        kind="limited",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Aula Kantor Gubernur",
        agenda="Kesiapan pengamanan",
    )
    minutes = teams.attachment_add(
        actor=actor, meeting=meeting, clean=team_uploads.clean_upload(pdf("notulen-bersama.pdf"))
    )
    due = timezone.localdate() + datetime.timedelta(days=6)
    views = []
    for key, objects in (("A", a), ("B", b), ("P", p)):
        m = f" {markers[key]}" if markers.get(key) else ""
        item = teams.followup_create(
            actor=actor,
            meeting=meeting,
            description=f"Tindak lanjut bersama {key}{m}",
            owner=objects.member,
            due_date=due,
        )
        views.append(Objects(region=objects.region, meeting=meeting, minutes=minutes, follow_up=item))
    return views


def build_world(users, *, markers=None):
    """`users`: the cast (sec_a, sec_b, province_sec, member_a, ...). `markers`: {"B": "ZZLEAK"}."""
    ensure_places()
    markers = markers or {}
    notified = {"A": users["sec_a"], "B": users["sec_b"], "P": users["province_sec"]}
    world = {
        key: build_region(
            key,
            actor=users["province_sec"],
            notified=notified[key],
            member_user=users["member_a"] if key == "A" else None,
            marker=markers.get(key, ""),
        )
        for key in REGIONS
    }
    return world
