"""Related rows are scoped like the rows they hang off (finding 5 of the outside probe).

A province meeting invites the teams of regency A and regency B and, by name, a member of each;
follow-up items are owned by a member of A and a member of B. Regency A (secretariat, leadership, its
team member) sees the meeting, page and API, but none of B's invitee lines or items: those answer 404
on their own, so they must not appear nested either. B and the province still see theirs.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from konflik.models import Region
from teams import services
from teams.models import Position, Team

pytestmark = pytest.mark.django_db

B_MEMBER, B_TEAM, B_ITEM = "Anggota Sambas NESTB", "Tim Terpadu Sambas NESTB", "Tindak lanjut Sambas NESTB"
A_MEMBER, A_TEAM, A_ITEM = "Anggota Pontianak", "Tim Terpadu Pontianak", "Tindak lanjut Pontianak"


@pytest.fixture
def province_meeting(province_sec, member_a):
    def team(code, name):
        return services.team_create(actor=province_sec, region=Region.objects.get(code=code), name=name)

    def member(team, name, **extra):
        position = Position.objects.order_by("order").first()
        return services.member_create(actor=province_sec, team=team, name=name, position=position, **extra)

    province = Team.objects.filter(region_id="61").first() or team("61", "Tim Terpadu Provinsi")
    team_a, team_b = team("61.71", A_TEAM), team("61.01", B_TEAM)
    member_a_row = member(team_a, A_MEMBER, user=member_a)
    member_b_row = member(team_b, B_MEMBER)
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = services.meeting_schedule(
        actor=province_sec,
        team=province,
        invited_teams=[team_a, team_b],
        invited_members=[member_a_row, member_b_row],
        title="Rapat koordinasi provinsi",
        kind="limited",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    due = timezone.localdate() + datetime.timedelta(days=7)
    item_a = services.followup_create(
        actor=province_sec, meeting=meeting, description=A_ITEM, owner=member_a_row, due_date=due
    )
    item_b = services.followup_create(
        actor=province_sec, meeting=meeting, description=B_ITEM, owner=member_b_row, due_date=due
    )
    return {
        "meeting": meeting,
        "team_a": team_a,
        "team_b": team_b,
        "member_a": member_a_row,
        "member_b": member_b_row,
        "item_a": item_a,
        "item_b": item_b,
    }


def _page(web, user, meeting):
    response = web(user).get(reverse("teams:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _api(api, user, meeting):
    response = api(user).get(f"/api/meetings/{meeting.pk}/")
    assert response.status_code == 200
    return response.json()


def _invitee_ids(data):
    return set(data["invited_members"]), set(data["invited_teams"]), {i["id"] for i in data["invitations"]}


@pytest.mark.parametrize("who", ["sec_a", "leadership_a"])
def test_regency_a_sees_the_province_meeting_without_b_rows(province_meeting, who, request, web, api):
    user = request.getfixturevalue(who)
    w = province_meeting
    # the premise: B's member and B's item do not exist for A on their own
    assert api(user).get(f"/api/members/{w['member_b'].pk}/").status_code == 404
    assert api(user).get(f"/api/follow-ups/{w['item_b'].pk}/").status_code == 404
    assert api(user).get(f"/api/teams/{w['team_b'].pk}/").status_code == 404
    assert web(user).get(reverse("teams:followup_detail", args=[w["item_b"].pk])).status_code == 404

    page = _page(web, user, w["meeting"])
    assert A_ITEM in page and A_MEMBER in page and A_TEAM in page  # A's own rows are shown
    for text in (B_MEMBER, B_TEAM, B_ITEM, "NESTB"):
        assert text not in page, text

    data = _api(api, user, w["meeting"])
    members, teams, _ = _invitee_ids(data)
    assert members == {w["member_a"].pk}
    assert teams == {w["team_a"].pk}
    assert "NESTB" not in str(data)


def test_member_of_a_sees_only_the_rows_that_reach_them(province_meeting, member_a, web, api):
    w = province_meeting
    page = _page(web, member_a, w["meeting"])
    assert A_ITEM in page
    for text in (B_MEMBER, B_TEAM, B_ITEM, "NESTB"):
        assert text not in page, text
    data = _api(api, member_a, w["meeting"])
    members, teams, _ = _invitee_ids(data)
    assert members == {w["member_a"].pk}
    assert teams == {w["team_a"].pk}  # invited through their team
    assert "NESTB" not in str(data)


def test_b_and_the_province_still_see_their_rows(province_meeting, sec_b, province_sec, web, api):
    w = province_meeting
    page_b = _page(web, sec_b, w["meeting"])
    assert B_ITEM in page_b and B_MEMBER in page_b and B_TEAM in page_b
    assert A_ITEM not in page_b and A_MEMBER not in page_b
    members, teams, _ = _invitee_ids(_api(api, sec_b, w["meeting"]))
    assert members == {w["member_b"].pk} and teams == {w["team_b"].pk}

    page_p = _page(web, province_sec, w["meeting"])
    for text in (A_ITEM, A_MEMBER, A_TEAM, B_ITEM, B_MEMBER, B_TEAM):
        assert text in page_p, text
    members, teams, invitations = _invitee_ids(_api(api, province_sec, w["meeting"]))
    assert members == {w["member_a"].pk, w["member_b"].pk}
    assert teams == {w["team_a"].pk, w["team_b"].pk}
    assert len(invitations) == 4


# --- the guard: related rows that reach a reader go through `scoped_prefetch` -------------------------

APPS = ["konflik", "teams", "actionplans", "incidents", "dashboard"]
# Writes and system jobs read every row on purpose (copying a plan, telling every invitee); the
# helper itself passes the lookups on.
NOT_READER_FACING = {
    "services.py",
    "demo.py",
    "tasks.py",
    "reminders.py",
    "reminder_kinds.py",
    "orphans.py",
    "scoping.py",
}
# `{{ obj.relation.all }}` in a template reads a prefetch; each one is filled by a scoped prefetch.
TEMPLATE_RELATIONS = {
    ("actionplans/plan_detail.html", "a.related_institutions.all"),  # selectors.plan_matrix
    ("incidents/incident_detail.html", "u.attachments.all"),  # selectors.incident_updates
}


def _reader_modules():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            parts = set(path.relative_to(root).parts)
            if parts & {"tests", "migrations", "management"} or path.name in NOT_READER_FACING:
                continue
            yield root, path


def _is_scoped(arg):
    import ast

    if isinstance(arg, ast.Starred):  # *selectors.meeting_nested_rows(user=...): a list of scoped ones
        arg = arg.value
        name = getattr(arg.func, "attr", getattr(arg.func, "id", "")) if isinstance(arg, ast.Call) else ""
        return name.endswith("nested_rows")
    if isinstance(arg, ast.Call):
        return getattr(arg.func, "attr", getattr(arg.func, "id", "")) == "scoped_prefetch"
    return False


def test_every_prefetch_that_reaches_a_reader_is_scoped():
    import ast

    unscoped = []
    for root, path in _reader_modules():
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            where = f"{path.relative_to(root)}:{node.lineno}"
            if name == "Prefetch":
                unscoped.append(f"{where}: Prefetch(...), use scoped_prefetch")
            if name == "prefetch_related":
                unscoped += [f"{where}: {ast.unparse(a)}" for a in node.args if not _is_scoped(a)]
    assert not unscoped, "\n".join(unscoped)


def test_templates_read_relations_only_through_scoped_prefetches():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    found = set()
    for path in root.rglob("*.html"):
        for match in re.finditer(r"\b(\w+(?:\.\w+)+\.all)\b", path.read_text()):
            found.add((str(path.relative_to(root)), match.group(1)))
    assert found == TEMPLATE_RELATIONS


def test_scoped_prefetch_never_falls_back_to_every_row(province_meeting, sec_a):
    """What the helper cannot scope is an error, not Django's unscoped default."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db.models import prefetch_related_objects

    from konflik.scoping import scoped_prefetch
    from teams.models import Meeting

    meeting = Meeting.objects.get(pk=province_meeting["meeting"].pk)
    with pytest.raises(ValueError):
        scoped_prefetch("follow_ups__owner", sec_a)  # the first level would go unscoped
    with pytest.raises(ImproperlyConfigured):
        scoped_prefetch("position", sec_a, Position.objects.all())  # a model without visible_to
    with pytest.raises(ImproperlyConfigured):
        prefetch_related_objects([meeting], scoped_prefetch("follow_ups", sec_a))  # no model to resolve
    scoped = (
        Meeting.objects.filter(pk=meeting.pk).prefetch_related(scoped_prefetch("follow_ups", sec_a)).get()
    )
    assert [f.pk for f in scoped.follow_ups.all()] == [province_meeting["item_a"].pk]
