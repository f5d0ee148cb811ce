"""Leak scan: every free-text field of regency B's (and the province's) objects carries a marker; as the
secretariat, the leadership and a team member of regency A, every list, filter, search, export, calendar,
feed, form with choices and API list is read with hostile query strings. No marker may appear, and the ids
an API list returns must equal an oracle computed from the rows (not from `visible_to`).

Nested rows too: a province meeting invites both regencies and carries rows of B and of the province
(invitee lines, follow-up items). Every detail page and detail endpoint of the permission matrix is read
with every object of the world, and every nested row an API answer carries must open on its own.
"""

import dataclasses
import io
import zipfile

import pytest
from django.core.cache import cache
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actionplans.models import ActionPlan, Activity, Realisation
from dashboard.models import PeriodicReport
from incidents.models import ConflictPotential, ConflictStatus, Incident
from konflik.models import Notification
from teams.models import CalendarToken, FollowUp, Institution, Invitation, Meeting, Member, Position, Team

from .matrix import ROUTES
from .test_matrix import kwargs_for
from .world import build_shared_meeting, build_world

pytestmark = pytest.mark.django_db

MARK_B, MARK_P = "ZZLEAKB", "ZZLEAKP"
SEARCH = "zzleak"  # lower case: an echoed search box never contains the (upper-case) markers
A = "61.71"


def in_a(path):
    return Q(**{path: A}) | Q(**{f"{path}__startswith": A + "."})


# API list → (model, oracle for regency A's secretariat and leadership: rows whose region is in 61.71)
ORACLES = {
    "team-list": (Team, in_a("region__code")),
    "institution-list": (Institution, in_a("region__code")),
    "member-list": (Member, in_a("team__region__code")),
    # organised in A, or inviting a team of A (the shared province meeting)
    "meeting-list": (Meeting, in_a("team__region__code") | in_a("invitations__team__region__code")),
    # of a meeting organised in A, or owned by a member of A's team
    "follow-up-list": (FollowUp, in_a("meeting__team__region__code") | in_a("owner__team__region__code")),
    "action-plan-list": (ActionPlan, in_a("team__region__code")),
    "activity-list": (Activity, in_a("plan__team__region__code")),
    "realisation-list": (Realisation, in_a("activity__plan__team__region__code")),
    "incident-list": (Incident, in_a("region__code")),
    "conflict-potential-list": (ConflictPotential, in_a("region__code")),
    "conflict-status-list": (ConflictStatus, in_a("region__code")),
    "period-report-list": (PeriodicReport, in_a("team__region__code")),
}
# The member of A sees their membership, the meetings they are invited to and the items they own.
MEMBER_ORACLES = {
    "member-list": Q(user__username="anggota-a"),
    "meeting-list": Q(invitations__member__user__username="anggota-a")
    | Q(invitations__team__members__user__username="anggota-a"),
    "follow-up-list": Q(owner__user__username="anggota-a"),
}
NOT_FOR_MEMBERS = set(ORACLES) - set(MEMBER_ORACLES)
OTHER_LISTS = ["region-list", "notification-list", "position-list", "api-dashboard"]


def hostile_queries(b):
    """Query strings that try to reach B: its region, its ids in every filter, the marker as search."""
    ids = {
        "team": b.team.pk,
        "meeting": b.meeting.pk,
        "plan": b.plan.pk,
        "activity": b.activity.pk,
        "institution": b.institution.pk,
        "owner": b.member.pk,
        "incident": b.incident.pk,
        "invited_team": b.team.pk,
    }
    return [
        "",
        "?region=61.01",
        "?region=61",
        "?region=61.01.01",
        f"?q={SEARCH}",  # a prefix of both markers, for the substring searches
        f"?q={SEARCH}b",  # whole words, for the full-text search of reports
        f"?search={SEARCH}b",
        f"?q={SEARCH}p&region=61",
        "&".join(f"?{k}={v}" if i == 0 else f"{k}={v}" for i, (k, v) in enumerate(ids.items())),
        "?page_size=1000&ordering=-id",
        "?bulan=" + timezone.localdate().strftime("%Y-%m"),
        f"?year={timezone.localdate().year}&period=B04",
        "?status=draft&status=verified",
    ]


def body_of(response):
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if data[:2] == b"PK":  # xlsx: look inside every part of the workbook
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            data = b"".join(book.read(name) for name in book.namelist())
    return data.decode("utf-8", "replace")


def html_pages(a, feed_token):
    """Every page that lists, searches, exports or offers choices, as regency A sees it."""
    lists = [
        "home",
        "workspace",
        "regions:list",
        "notifications:list",
        "teams:team_list",
        "teams:member_list",
        "teams:institution_list",
        "teams:meeting_list",
        "teams:calendar",
        "teams:followup_list",
        "teams:calendar_feed_settings",
        "teams:team_create",
        "teams:institution_create",
        "teams:meeting_create",
        "actionplans:list",
        "actionplans:create",
        "actionplans:realisations",
        "actionplans:due",
        "actionplans:submissions",
        "incidents:list",
        "incidents:create",
        "incidents:export_csv",
        "incidents:export_xlsx",
        "incidents:map",
        "incidents:map_data",
        "incidents:potential_list",
        "incidents:potential_create",
        "incidents:status_list",
        "incidents:status_create",
        "dashboard:home",
        "dashboard:reports",
    ]
    urls = [reverse(name) for name in lists]
    urls += [
        reverse("teams:team_detail", args=[a.team.pk]),
        reverse("teams:member_create", args=[a.team.pk]),
        reverse("teams:meeting_detail", args=[a.meeting.pk]),
        reverse("teams:meeting_update", args=[a.meeting.pk]),
        reverse("teams:followup_create", args=[a.meeting.pk]),
        reverse("teams:meeting_ics", args=[a.meeting.pk]),
        reverse("teams:calendar_feed", args=[feed_token]),
        reverse("actionplans:detail", args=[a.plan.pk]),
        reverse("actionplans:export", args=[a.plan.pk]),
        reverse("actionplans:activity_create", args=[a.plan.pk]),
        reverse("actionplans:realisation", args=[a.realisation.pk]),
        reverse("incidents:detail", args=[a.incident.pk]),
        reverse("incidents:status_detail", args=[a.status.pk]),
        reverse("incidents:status_edit", args=[a.status.pk]),
    ]
    return urls


@pytest.fixture
def world(sec_a, sec_b, province_sec, member_a):
    users = {"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a}
    markers = {"B": MARK_B, "P": MARK_P}
    world = build_world(users, markers=markers)
    world["shared"] = build_shared_meeting(world, actor=province_sec, markers=markers)
    return world


def test_markers_are_really_seeded(world, sec_b, province_sec):
    """The scan can only fail if B's pages show the marker: make sure they do."""
    b = world["B"]
    for url in (
        reverse("incidents:list"),
        reverse("incidents:export_xlsx"),
        reverse("teams:meeting_list"),
        reverse("actionplans:detail", args=[b.plan.pk]),
        "/api/members/",
        "/api/incidents/",
        f"/api/incidents/?q={SEARCH}b",
        f"/kejadian/?q={SEARCH}b",
        f"/tim/anggota/?q={SEARCH}",
        f"/api/incidents/{b.incident_verified.pk}/updates/",
    ):
        client = APIClient() if url.startswith("/api/") else Client()
        client.force_login(sec_b)
        assert MARK_B in body_of(client.get(url)), url
    assert Notification.objects.filter(title__contains=MARK_B).exists()
    # the shared province meeting shows B's nested rows to B and to the province, page and API
    shared = world["shared"][0].meeting
    for user in (sec_b, province_sec):
        client = Client()
        client.force_login(user)
        assert MARK_B in body_of(client.get(reverse("teams:meeting_detail", args=[shared.pk])))
        api = APIClient()
        api.force_authenticate(user)
        assert MARK_B in body_of(api.get(reverse("meeting-detail", args=[shared.pk])))


def scan(client, urls, queries):
    leaks, calls = [], 0
    for url in urls:
        for query in queries:
            if query.startswith("?") and "?" in url:
                query = "&" + query[1:]
            cache.clear()  # the scan is not what the rate limits are for
            response = client.get(url + query)
            calls += 1
            assert response.status_code < 500, (url + query, response.status_code)
            text = body_of(response)
            for marker in (MARK_B, MARK_P):
                if marker in text:
                    leaks.append(f"{marker} in {url + query} ({response.status_code})")
    return leaks, calls


@pytest.mark.parametrize("who", ["sec_a", "leadership_a", "member_a"])
def test_no_marker_reaches_regency_a(world, who, request):
    user = request.getfixturevalue(who)
    token = CalendarToken.objects.create(user=user, token=f"feed-{who}-0123456789abcdef")
    browser = Client()
    browser.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    queries = hostile_queries(world["B"])
    leaks, calls = scan(browser, html_pages(world["A"], token.token), queries)
    a = world["A"]
    api_urls = [reverse(name) for name in [*ORACLES, *OTHER_LISTS]] + [
        reverse("incident-history", args=[a.incident.pk]),
        reverse("incident-updates", args=[a.incident_verified.pk]),
        reverse("incident-attachments", args=[a.incident.pk]),
        "/api/schema/",
    ]
    more, api_calls = scan(api, api_urls, queries)
    assert not leaks + more, "\n".join(leaks + more)
    assert calls + api_calls > 500


@pytest.mark.parametrize("who", ["sec_a", "leadership_a", "member_a"])
def test_api_lists_return_exactly_the_oracle(world, who, request):
    user = request.getfixturevalue(who)
    api = APIClient()
    api.force_authenticate(user)
    for name, (model, oracle) in ORACLES.items():
        if who == "member_a":
            oracle = MEMBER_ORACLES.get(name, Q(pk__in=[]))
        expected = set(model.objects.filter(oracle).values_list("pk", flat=True))
        for query in ("", "?region=61.01", "?region=61", f"?team={world['B'].team.pk}"):
            response = api.get(reverse(name) + query + ("&" if query else "?") + "page_size=1000")
            if response.status_code == 400:  # a filter refused the foreign value: nothing shown
                continue
            assert response.status_code == 200, (name, query, response.status_code)
            got = {row["id"] for row in response.json()["results"]}
            if query:
                assert got <= expected, (who, name, query)
            else:
                assert got == expected, (who, name)
                if who != "member_a":
                    assert got, (who, name)  # the oracle is not trivially empty
    notifications = {row["id"] for row in api.get("/api/notifications/").json()["results"]}
    assert notifications == set(Notification.objects.filter(user=user).values_list("pk", flat=True))


# --- nested rows: every detail page and detail endpoint -------------------------------------------------

# Object routes of the matrix a reader can GET. A personal calendar feed is left out: its secret URL is
# the credential, so B's feed shows B's meetings to whoever holds it, by design.
DETAIL_ROUTES = sorted(
    {(name, kind) for name, method, kind, _ in ROUTES if method == "GET" and kind and kind != "feed"}
)


def every_object(world):
    """Each region's objects, the same with the verified report (the one with updates) as the report,
    and each region's view of the shared province meeting."""
    regions = [world["A"], world["B"], world["P"]]
    verified = [dataclasses.replace(o, incident=o.incident_verified) for o in regions if o.incident_verified]
    return [*regions, *verified, *world["shared"]]


def detail_urls(world):
    ctx = {"position": Position.objects.first().pk}
    urls = set()
    for name, kind in DETAIL_ROUTES:
        for objects in every_object(world):
            try:
                urls.add(reverse(name, kwargs=kwargs_for(kind, objects, ctx)))
            except (AttributeError, KeyError):  # no such object at this level
                continue
    return sorted(urls)


def test_the_detail_scan_covers_every_nested_list(world):
    """Every object route of the matrix, with the shared meeting and A's and B's items on it."""
    urls = detail_urls(world)
    shared = world["shared"][0].meeting
    for name, args in [
        ("teams:meeting_detail", [shared.pk]),
        ("meeting-detail", [shared.pk]),
        ("teams:followup_detail", [world["shared"][1].follow_up.pk]),  # B's item: must answer 404
        ("teams:team_detail", [world["A"].team.pk]),
        ("actionplans:detail", [world["A"].plan.pk]),
        ("actionplans:realisation", [world["A"].realisation.pk]),
        ("realisation-detail", [world["A"].realisation.pk]),
        ("activity-detail", [world["A"].activity.pk]),
        ("incidents:detail", [world["A"].incident_verified.pk]),  # with its updates
        ("incidents:detail", [world["A"].incident.pk]),  # with its attachments
        ("incident-updates", [world["A"].incident_verified.pk]),
        ("incidents:status_detail", [world["A"].status.pk]),
        ("conflict-status-detail", [world["A"].status.pk]),
        ("dashboard:report_detail", [world["A"].extra["period_report"].pk]),
    ]:
        assert reverse(name, args=args) in urls, name
    assert len(urls) > 150


@pytest.mark.parametrize("who", ["sec_a", "leadership_a", "member_a"])
def test_no_marker_in_any_detail_view(world, who, request):
    """Every detail page and detail endpoint, with every object of the world: nothing of B or the
    province reaches A nested in something A may open (and what A may not open answers 404)."""
    user = request.getfixturevalue(who)
    browser, api = Client(), APIClient()
    browser.force_login(user)
    api.force_authenticate(user)
    leaks, opened = [], 0
    for url in detail_urls(world):
        client = api if url.startswith("/api/") else browser
        cache.clear()
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        opened += response.status_code == 200
        text = body_of(response)
        leaks += [
            f"{marker} in {url} ({response.status_code})" for marker in (MARK_B, MARK_P) if marker in text
        ]
    assert not leaks, "\n".join(leaks)
    shared = world["shared"][0].meeting
    page = browser.get(reverse("teams:meeting_detail", args=[shared.pk]))
    assert page.status_code == 200 and "Tindak lanjut bersama A" in body_of(page)  # A's own row is there
    assert opened > (10 if who == "member_a" else 40)


# Nested lists of ids, and the detail route each id must open on by itself.
NESTED_IDS = {
    "invited_members": "member-detail",
    "invited_teams": "team-detail",
    "invited_institutions": "institution-detail",
    "related_institutions": "institution-detail",
    "incidents": "incident-detail",
}
LISTS_WITH_NESTED_ROWS = ["meeting-list", "activity-list", "realisation-list", "conflict-status-list"]


def nested_rows(row):
    """(key, id) of every nested id list, and every nested object (dict) of a list, in an API row."""
    ids, objects = [], []
    for key, value in row.items():
        if isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    objects.append((key, item))
                elif key in NESTED_IDS:
                    ids.append((key, item))
    return ids, objects


def invitation_oracle(user):
    """The invitee lines a reader of A may see, from the rows: for the secretariat and leadership, the
    lines of meetings organised in A and the lines whose invitee is in A; for the member, the lines that
    reach them (by name, through their team or their institution)."""
    if user.role == user.Role.MEMBER:
        return (
            Q(member__user=user)
            | Q(team__members__user=user)
            | Q(institution__in=Member.objects.filter(user=user).values("institution_id"))
        )
    return (
        in_a("meeting__team__region__code")
        | in_a("member__team__region__code")
        | in_a("institution__region__code")
        | in_a("team__region__code")
    )


@pytest.mark.parametrize("who", ["sec_a", "leadership_a", "member_a"])
def test_every_nested_row_opens_on_its_own(world, who, request):
    """A nested row is shown exactly when its own page shows it: every nested id opens on its detail
    endpoint, every nested file downloads, and the invitee lines equal an oracle from the rows."""
    user = request.getfixturevalue(who)
    api = APIClient()
    api.force_authenticate(user)
    browser = Client()
    browser.force_login(user)
    checked, refused = 0, []
    oracle = set(Invitation.objects.filter(invitation_oracle(user)).values_list("pk", flat=True))
    for name in LISTS_WITH_NESTED_ROWS:
        rows = api.get(reverse(name) + "?page_size=1000").json()["results"]
        details = [api.get(reverse(name.replace("-list", "-detail"), args=[r["id"]])).json() for r in rows]
        for row in rows + details:
            ids, objects = nested_rows(row)
            for key, pk in ids:
                if who == "member_a" and key in ("invited_teams", "invited_institutions"):
                    continue  # a member opens no team or institution page; the oracle below holds these
                checked += 1
                if api.get(reverse(NESTED_IDS[key], args=[pk])).status_code != 200:
                    refused.append(f"{name} {row['id']}: {key} {pk}")
            for key, item in objects:
                if "download_url" in item:
                    checked += 1
                    client = api if item["download_url"].startswith("/api/") else browser
                    if client.get(item["download_url"]).status_code != 200:
                        refused.append(f"{name} {row['id']}: {key} {item['id']}")
            if name == "meeting-list":
                shown = {item["id"] for item in row["invitations"]}
                expected = set(
                    Invitation.objects.filter(meeting_id=row["id"], pk__in=oracle).values_list(
                        "pk", flat=True
                    )
                )
                assert shown == expected, (who, row["id"])
                teams = {i.team_id for i in Invitation.objects.filter(pk__in=shown, team__isnull=False)}
                assert set(row["invited_teams"]) == teams, (who, row["id"])
    assert not refused, "\n".join(refused)
    assert checked >= (1 if who == "member_a" else 8)
