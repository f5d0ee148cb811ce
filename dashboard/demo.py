"""Demo data of the dashboard (called last by `manage.py seed_demo`).

Every scale: the incident rollup is rebuilt from the rows (the other apps' bulk rows at `kalbar`
scale bypass the services, and so the rollup hook).

`national`: the benchmark's country-sized data, written set-based in PostgreSQL (INSERT ... SELECT
over generate_series, never row by row through the ORM): 38 provinces and 514 regencies/cities
(Kalimantan Barat's real 15 regions stay; the other 37 provinces and their 500 regencies get
synthetic codes and names), a team per region, 1,000,000 incident reports, about 60,000 action-plan
activities with their realisations, and about 30,000 meetings with follow-ups. Idempotent: each step
only tops up to its target.
"""

import math
import time

from django.db import connection, transaction
from django.utils import timezone

from actionplans import periods

from . import rollups

# Kemendagri's 38 province codes; 61 (Kalimantan Barat) is real, the others get synthetic names.
PROVINCES = [
    "11",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
    "21",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "51",
    "52",
    "53",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "72",
    "73",
    "74",
    "75",
    "76",
    "81",
    "82",
    "91",
    "92",
    "93",
    "94",
    "95",
    "96",
]
REGENCIES = 514
INCIDENTS = 1_000_000
ACTIVITIES = 60_000
MEETINGS = 30_000

SOURCES = [
    "political_economic_sociocultural",
    "religion_ethnicity",
    "boundary_dispute",
    "natural_resource_dispute",
    "natural_resource_distribution",
]
SNPK = ["governance", "identity", "governance", "resources", "resources"]
TITLES = [
    "Ketegangan antarpendukung calon kepala desa",
    "Perkelahian antarkelompok pemuda",
    "Sengketa tapal batas desa",
    "Sengketa lahan warga dan perusahaan",
    "Protes pembagian hasil tambang rakyat",
]
CHRONOLOGY = "Massa berkumpul dan terjadi bentrok; aparat dan tokoh masyarakat menenangkan para pihak."
PARTIES = '[{"name": "Kelompok warga", "kind": "community"}, {"name": "Kelompok lain", "kind": "other"}]'
SUB_TYPES = [
    ("prevention", "prevention_peace"),
    ("prevention", "prevention_dispute_resolution"),
    ("prevention", "prevention_damping"),
    ("prevention", "prevention_early_warning"),
    ("stopping", "stopping_violence"),
    ("stopping", "stopping_conflict_status"),
    ("stopping", "stopping_rescue"),
    ("stopping", "stopping_military"),
    ("recovery", "recovery_reconciliation"),
    ("recovery", "recovery_rehabilitation"),
    ("recovery", "recovery_reconstruction"),
]


def seed(*, stdout, scale="demo"):
    if scale == "national":
        if connection.vendor != "postgresql":
            stdout.write("dashboard: the national scale needs PostgreSQL (DATABASE_URL); skipped")
        else:
            seed_national(stdout=stdout)
    started = time.monotonic()
    rows = rollups.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics after the bulk rows, as autovacuum would
            for table in ("incidents_incident", "dashboard_incidentrollup"):
                cursor.execute(f"ANALYZE {table}")
    stdout.write(f"dashboard: incident rollup rebuilt ({rows} rows, {time.monotonic() - started:.1f} s)")


class _Step:
    def __init__(self, stdout, label):
        self.stdout, self.label = stdout, label

    def __enter__(self):
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.stdout.write(f"dashboard: {self.label} ({time.monotonic() - self.started:.1f} s)")


def seed_national(*, stdout, incidents=INCIDENTS, activities=ACTIVITIES, meetings=MEETINGS):
    """The national bulk load (PostgreSQL only). The sizes are parameters so a test can run it small."""
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.61)")
        with _Step(stdout, "regions"), transaction.atomic():
            _regions(cursor)
        with _Step(stdout, "teams and members"), transaction.atomic():
            _teams(cursor)
        with _Step(stdout, "incidents"), transaction.atomic():
            _incidents(cursor, incidents)
        with _Step(stdout, "action plans, activities and realisations"), transaction.atomic():
            _plans(cursor, activities)
        with _Step(stdout, "meetings and follow-ups"), transaction.atomic():
            _meetings(cursor, meetings)
        with _Step(stdout, "vacuum and analyze"):
            # What autovacuum does after a bulk load: statistics, and the visibility map that lets a
            # count be answered from an index alone.
            for table in (
                "konflik_region",
                "teams_team",
                "incidents_incident",
                "actionplans_activity",
                "actionplans_realisation",
                "teams_meeting",
                "teams_followup",
            ):
                # VACUUM cannot run inside a transaction (a test's): statistics only, then
                cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {table}")
        cursor.execute("SELECT count(*) FROM incidents_incident")
        total = cursor.fetchone()[0]
    stdout.write(f"dashboard: national scale ready, {total} incidents ({time.monotonic() - started:.0f} s)")


def _regions(cursor):
    """37 synthetic provinces and 500 synthetic regencies/cities beside Kalimantan Barat's real ones."""
    others = [code for code in PROVINCES if code != "61"]
    cursor.execute(
        "SELECT count(*) FROM konflik_region WHERE level IN ('regency', 'city') AND code LIKE '61.%%'"
    )
    missing = REGENCIES - cursor.fetchone()[0]
    codes, names, levels, parents = [], [], [], []
    for code in others:
        codes.append(code)
        names.append(f"Provinsi Sintetis {code}")
        levels.append("province")
        parents.append(None)
    per, extra = divmod(missing, len(others))
    for index, province in enumerate(others):
        count = per + (1 if index < extra else 0)
        for n in range(1, count + 1):
            city = n == count  # the last one of each province is a city, numbered from 71
            suffix = "71" if city else f"{n:02d}"
            codes.append(f"{province}.{suffix}")
            names.append(f"{'Kota' if city else 'Kabupaten'} Sintetis {province}.{suffix}")
            levels.append("city" if city else "regency")
            parents.append(province)
    cursor.execute(
        "INSERT INTO konflik_region (code, name, level, parent_id) "
        "SELECT * FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) "
        "ON CONFLICT (code) DO NOTHING",
        [codes, names, levels, parents],
    )


def _teams(cursor):
    cursor.execute(
        """
        INSERT INTO teams_team (created, updated, name, decree_number, secretariat_unit, region_id)
        SELECT now(), now(), 'Tim Terpadu Penanganan Konflik Sosial ' || r.name, '', 'Kesbangpol', r.code
        FROM konflik_region r
        WHERE r.level IN ('province', 'regency', 'city')
          AND NOT EXISTS (SELECT 1 FROM teams_team t WHERE t.region_id = r.code)
        """
    )
    cursor.execute(
        """
        INSERT INTO teams_member (created, updated, name, office, phone, email, team_id, position_id)
        SELECT now(), now(), 'Sekretaris Tim ' || t.region_id, 'Kepala Kesbangpol', '', '', t.id,
               (SELECT id FROM teams_position ORDER BY "order" DESC, id LIMIT 1)
        FROM teams_team t
        WHERE NOT EXISTS (SELECT 1 FROM teams_member m WHERE m.team_id = t.id)
        """
    )


def _incidents(cursor, target):
    cursor.execute("SELECT count(*) FROM incidents_incident")
    missing = target - cursor.fetchone()[0]
    if missing <= 0:
        return
    # Secondary indexes are dropped and rebuilt around the load (one sort each instead of a million
    # inserts); all in this transaction, so a failed load leaves the table as it was.
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = 'incidents_incident'
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute(
        """
        CREATE TEMP TABLE bulk_regency ON COMMIT DROP AS
        SELECT (row_number() OVER (ORDER BY code)) - 1 AS idx, code
        FROM konflik_region WHERE level IN ('regency', 'city')
        """
    )
    cursor.execute("SELECT count(*) FROM bulk_regency")
    regencies = cursor.fetchone()[0]
    # One row per report to make: its regency, date and the random draws that shape it.
    cursor.execute(
        """
        CREATE TEMP TABLE bulk_incident ON COMMIT DROP AS
        SELECT g AS i, r.code AS region_id,
               current_date - (1 + floor(random() * 730))::int AS occurred_on,
               random() AS r_status, random() AS r_stage, random() AS r_harm, floor(random() * 5)::int AS src
        FROM generate_series(1, %s) g JOIN bulk_regency r ON r.idx = g %% %s
        """,
        [missing, regencies],
    )
    cursor.execute(
        """
        INSERT INTO incidents_incident (
            created, updated, number, year, sequence, status, place, occurred_on, date_precision,
            reported_at, title, source_of_conflict, snpk_issue, parties, people_involved, deaths, injured,
            displaced, buildings_damaged, estimated_loss, chronology, handling, handled_by,
            information_source, stage, submitted_at, verified_at, return_note, resolved_on, search_text,
            region_id)
        SELECT now(), now(),
               b.region_id || '/' || b.year || '/' || CASE WHEN b.seq < 10000 THEN lpad(b.seq::text, 4, '0') ELSE b.seq::text END, b.year, b.seq, b.status, '',
               b.occurred_on, 'day', b.reported_at, b.title, b.source, b.snpk, %s::jsonb,
               10 + floor(b.r_harm * 300)::int,
               CASE WHEN b.r_harm < 0.04 THEN 1 + floor(b.r_harm * 75)::int ELSE 0 END,
               floor(b.r_harm * 7)::int,
               CASE WHEN b.r_harm > 0.9 THEN floor((b.r_harm - 0.9) * 2000)::int ELSE 0 END,
               floor(b.r_harm * 3)::int,
               floor(b.r_harm * 40) * 1000000,
               %s, '', '', 'Laporan Bhabinkamtibmas',
               CASE
                   WHEN b.status = 'closed' THEN 'resolved'
                   WHEN b.status = 'verified' THEN (ARRAY['occurring', 'handled', 'recovery', 'resolved'])[1 + floor(b.r_stage * 4)::int]
                   ELSE (ARRAY['potential', 'occurring'])[1 + floor(b.r_stage * 2)::int]
               END,
               CASE WHEN b.status = 'draft' THEN NULL ELSE b.reported_at END,
               CASE WHEN b.status IN ('verified', 'closed') THEN b.reported_at + interval '2 days' END,
               CASE WHEN b.status = 'returned' THEN 'Lengkapi data korban.' ELSE '' END,
               CASE WHEN b.status = 'closed' THEN LEAST(b.occurred_on + floor(b.r_stage * 60)::int, current_date) END,
               b.title || E'\n' || %s || E'\nKelompok warga Kelompok lain',
               b.region_id
        FROM (
            SELECT s.*, extract(year FROM s.occurred_on)::int AS year,
                   COALESCE(q.last_number, 0)
                       + row_number() OVER (PARTITION BY s.region_id, extract(year FROM s.occurred_on) ORDER BY s.i) AS seq,
                   LEAST((s.occurred_on + 1)::timestamp AT TIME ZONE 'Asia/Pontianak' + interval '10 hours', now())
                       AS reported_at,
                   CASE
                       WHEN s.r_status < 0.03 THEN 'draft'
                       WHEN s.r_status < 0.13 THEN 'submitted'
                       WHEN s.r_status < 0.15 THEN 'returned'
                       WHEN s.r_status < 0.70 THEN 'verified'
                       ELSE 'closed'
                   END AS status,
                   (ARRAY[%s, %s, %s, %s, %s])[1 + s.src] AS source,
                   (ARRAY[%s, %s, %s, %s, %s])[1 + s.src] AS snpk,
                   (ARRAY[%s, %s, %s, %s, %s])[1 + s.src] AS title
            FROM bulk_incident s
            LEFT JOIN incidents_incidentsequence q
                   ON q.region_id = s.region_id AND q.year = extract(year FROM s.occurred_on)
        ) b
        -- rows land in the order reports arrive (by date), as in a real table, not grouped by region
        ORDER BY b.occurred_on, b.i
        """,
        [PARTIES, CHRONOLOGY, CHRONOLOGY, *SOURCES, *SNPK, *TITLES],
    )
    cursor.execute(
        """
        INSERT INTO incidents_incidentsequence (region_id, year, last_number)
        SELECT region_id, year, max(sequence) FROM incidents_incident GROUP BY region_id, year
        ON CONFLICT (region_id, year)
        DO UPDATE SET last_number = GREATEST(incidents_incidentsequence.last_number, excluded.last_number)
        """
    )
    # Django's foreign keys are deferred: check them now, an index cannot be built over pending checks.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for _name, definition in indexes:
        cursor.execute(definition)


def _plans(cursor, target):
    year = timezone.localdate().year
    cursor.execute("SELECT count(*) FROM actionplans_activity")
    missing = target - cursor.fetchone()[0]
    if missing <= 0:
        return
    cursor.execute(
        """
        INSERT INTO actionplans_actionplan (created, updated, year, status, approved_on, approval_reference, notes, team_id)
        SELECT now(), now(), %s, 'approved', LEAST(make_date(%s, 1, 20), current_date),
               'Keputusan Ketua Tim Terpadu', '', t.id
        FROM teams_team t
        WHERE NOT EXISTS (SELECT 1 FROM actionplans_actionplan p WHERE p.team_id = t.id AND p.year = %s)
        RETURNING id
        """,
        [year, year, year],
    )
    plan_ids = [row[0] for row in cursor.fetchall()]
    if not plan_ids:
        return
    per_plan = math.ceil(missing / len(plan_ids))
    strategies = [s for s, _ in SUB_TYPES]
    sub_types = [t for _, t in SUB_TYPES]
    cursor.execute(
        """
        INSERT INTO actionplans_activity (
            created, updated, position, strategy, sub_type, title, description, indicator, unit,
            target_b04, target_b08, target_b12, target_year, budget, funding_source, is_national, plan_id)
        SELECT now(), now(), n, (%s::text[])[1 + n %% 11], (%s::text[])[1 + n %% 11],
               'Kegiatan ' || n || ' rencana aksi', '', 'Kegiatan terlaksana', 'kegiatan',
               1 + n %% 4, 1 + n %% 3, 1 + n %% 5, 3 + n %% 4 + n %% 3 + n %% 5, 10000000 * (1 + n %% 7), 'apbd',
               n %% 10 = 0, p.id
        FROM unnest(%s::bigint[]) p(id) CROSS JOIN generate_series(1, %s) n
        """,
        [strategies, sub_types, plan_ids, per_plan],
    )
    # Realisations of every period that has started: reported (mostly on time) once the deadline
    # passed, drafts for the running period; about one activity in eight has none (missing).
    now = timezone.now()
    for period in periods.PERIODS:
        if not periods.period_started(year, period, now=now):
            continue
        closed = now >= periods.deadline_at(year, period)
        deadline = periods.deadline_at(year, period)
        target = f"target_{period.lower()}"
        # The only interpolation is a column name built from the period enum.
        cursor.execute(
            f"""
            INSERT INTO actionplans_realisation (
                created, updated, period, value, achievement, narrative, obstacles, next_steps, status,
                submitted_at, first_submitted_at, on_time, reviewed_at, review_note, activity_id)
            SELECT now(), now(), %s, v.value, round(v.value / v.target * 100, 2), 'Terlaksana.', '', '',
                   CASE WHEN NOT %s THEN 'draft' WHEN v.r < 0.5 THEN 'accepted' ELSE 'submitted' END,
                   CASE WHEN %s THEN v.sent END, CASE WHEN %s THEN v.sent END,
                   CASE WHEN %s THEN v.sent < %s END,
                   CASE WHEN %s AND v.r < 0.5 THEN v.sent + interval '3 days' END, '', v.id
            FROM (
                SELECT a.id, a.{target} AS target, round(a.{target} * (0.5 + random())::numeric, 2) AS value,
                       random() AS r,
                       %s::timestamptz - interval '1 day' * floor(random() * 12 - 2) AS sent
                FROM actionplans_activity a
                WHERE a.plan_id = ANY(%s) AND a.{target} > 0
                  AND (a.id %% 8) <> 0
            ) v
            """,  # noqa: S608
            [period.value, closed, closed, closed, closed, deadline, closed, deadline, plan_ids],
        )


def _meetings(cursor, target):
    cursor.execute("SELECT count(*) FROM teams_meeting")
    missing = target - cursor.fetchone()[0]
    if missing <= 0:
        return
    cursor.execute("SELECT id FROM teams_team WHERE region_id NOT LIKE '61%%' ORDER BY id")
    team_ids = [row[0] for row in cursor.fetchall()]
    if not team_ids:
        return
    per_team = math.ceil(missing / len(team_ids))
    # About nine in ten are in the past (held), the rest in the next two months (scheduled); no
    # reminder offsets, so the bulk rows plan no reminders.
    cursor.execute(
        """
        INSERT INTO teams_meeting (
            created, updated, kind, period, title, start, "end", place, online_link, agenda, status,
            minutes, reminder_offsets, sequence, team_id)
        SELECT now(), now(), CASE WHEN n %% 3 = 0 THEN 'limited' ELSE 'other' END, '',
               'Rapat koordinasi ' || n, m.start, m.start + interval '2 hours', 'Aula Kesbangpol', '',
               'Evaluasi situasi keamanan', CASE WHEN m.start < now() THEN 'held' ELSE 'scheduled' END,
               '', '[]'::jsonb, 0, m.team_id
        FROM (
            SELECT t.id AS team_id, n,
                   date_trunc('hour', now() - interval '1 day' * floor(random() * 700 - 60)) AS start
            FROM unnest(%s::bigint[]) t(id) CROSS JOIN generate_series(1, %s) n
        ) m
        """,
        [team_ids, per_team],
    )
    cursor.execute(
        """
        INSERT INTO teams_followup (created, updated, description, due_date, status, done_at, meeting_id, team_id,
                                    owner_id)
        SELECT now(), now(), 'Tindak lanjut rapat ' || mt.id, (mt.start + interval '14 days')::date,
               CASE WHEN mt.start < now() - interval '45 days' THEN 'done' ELSE 'open' END,
               CASE WHEN mt.start < now() - interval '45 days' THEN mt.start + interval '10 days' END,
               mt.id, mt.team_id, (SELECT min(m.id) FROM teams_member m WHERE m.team_id = mt.team_id)
        FROM teams_meeting mt
        WHERE mt.id %% 3 = 0 AND mt.team_id = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM teams_followup f WHERE f.meeting_id = mt.id)
        """,
        [team_ids],
    )
