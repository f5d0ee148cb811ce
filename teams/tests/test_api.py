"""The API: scope (another region is 404), roles (leadership and members write nothing: 403), field
level protection (no foreign key to another region, region/team fixed after creation), filters, one
audit event per change, query counts that do not grow with rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from konflik.models import AuditEvent
from teams.models import FollowUp, Meeting, Member, Team
from teams.tests.factories import (
    FollowUpFactory,
    InstitutionFactory,
    MeetingFactory,
    MemberFactory,
    TeamFactory,
    position,
)

START = (timezone.now() + timedelta(days=5)).replace(microsecond=0)


def meeting_body(organiser, **extra):
    body = {
        "team": organiser.pk,
        "kind": "limited",
        "title": "Rapat terbatas",
        "start": START.isoformat(),
        "end": (START + timedelta(hours=2)).isoformat(),
        "place": "Aula",
    }
    body.update(extra)
    return body


def ids(response):
    assert response.status_code == 200, response.content
    return sorted(row["id"] for row in response.json()["results"])


# --- reads: scope -------------------------------------------------------------------------------------


def test_team_lists_are_scoped(
    api, sec_a, province_sec, leadership_a, team_a, team_b, team_prov, member_a, inactive
):
    assert ids(api(sec_a).get("/api/teams/")) == [team_a.pk]
    assert ids(api(leadership_a).get("/api/teams/")) == [team_a.pk]
    assert ids(api(province_sec).get("/api/teams/")) == sorted([team_a.pk, team_b.pk, team_prov.pk])
    assert ids(api(member_a).get("/api/teams/")) == []
    assert api(sec_a).get(f"/api/teams/{team_b.pk}/").status_code == 404
    assert api().get("/api/teams/").status_code in (401, 403)
    assert api(inactive).get("/api/teams/").status_code in (401, 403)


def test_meeting_visibility(
    api, sec_a, sec_b, province_sec, member_a, member_of_a, team_a, team_b, team_prov, meeting_a, meeting_b
):
    province = MeetingFactory(team=team_prov, title="Rapat provinsi")
    province.invitations.create(team=team_a)  # an invited team's secretariat sees the meeting
    other_province = MeetingFactory(team=team_prov, title="Rapat internal provinsi")
    assert ids(api(sec_a).get("/api/meetings/")) == sorted([meeting_a.pk, province.pk])
    assert ids(api(sec_b).get("/api/meetings/")) == [meeting_b.pk]
    assert ids(api(province_sec).get("/api/meetings/")) == sorted(
        [meeting_a.pk, meeting_b.pk, province.pk, other_province.pk]
    )
    # a member: only what they are invited to (here through their team)
    assert ids(api(member_a).get("/api/meetings/")) == [province.pk]
    meeting_a.invitations.create(member=member_of_a)
    assert ids(api(member_a).get("/api/meetings/")) == sorted([meeting_a.pk, province.pk])
    assert api(sec_b).get(f"/api/meetings/{province.pk}/").status_code == 404


def test_followups_visible_to_owner_member(api, member_a, member_of_a, sec_b, meeting_a):
    mine = FollowUpFactory(meeting=meeting_a, owner=member_of_a)
    FollowUpFactory(meeting=meeting_a)
    assert ids(api(member_a).get("/api/follow-ups/")) == [mine.pk]
    assert ids(api(sec_b).get("/api/follow-ups/")) == []


def test_followups_are_seen_by_the_organising_team_and_by_the_owners_team(
    api, sec_a, sec_b, province_sec, team_a, team_prov, meeting_a
):
    province_meeting = MeetingFactory(team=team_prov, title="Rapat provinsi")
    owned_by_a = FollowUpFactory(meeting=province_meeting, owner=MemberFactory(team=team_a))
    provinces_own = FollowUpFactory(meeting=province_meeting, owner=MemberFactory(team=team_prov))
    of_a = FollowUpFactory(meeting=meeting_a, owner=MemberFactory(team=team_a))
    assert owned_by_a.team_id == team_prov.pk  # the item carries its meeting's organising team
    assert ids(api(sec_a).get("/api/follow-ups/")) == sorted([owned_by_a.pk, of_a.pk])
    assert ids(api(province_sec).get("/api/follow-ups/")) == sorted(
        [owned_by_a.pk, provinces_own.pk, of_a.pk]
    )
    assert ids(api(sec_b).get("/api/follow-ups/")) == []
    assert api(sec_b).get(f"/api/follow-ups/{of_a.pk}/").status_code == 404


# --- writes: roles, scope, fields ----------------------------------------------------------------------


def test_leadership_and_members_write_nothing(api, leadership, member_a, team_a, meeting_a):
    for user in (leadership, member_a):
        client = api(user)
        assert client.post("/api/meetings/", meeting_body(team_a), format="json").status_code == 403
        assert (
            client.patch(f"/api/meetings/{meeting_a.pk}/", {"title": "x"}, format="json").status_code == 403
        )
        assert client.post(f"/api/meetings/{meeting_a.pk}/cancel/", {}, format="json").status_code == 403
        assert client.post("/api/members/", {}, format="json").status_code == 403
        assert client.patch(f"/api/teams/{team_a.pk}/", {"name": "x"}, format="json").status_code == 403
    assert not AuditEvent.objects.exists()


def test_invited_team_reads_but_cannot_edit(api, sec_a, team_prov, team_a):
    meeting = MeetingFactory(team=team_prov)
    meeting.invitations.create(team=team_a)
    client = api(sec_a)
    assert client.get(f"/api/meetings/{meeting.pk}/").status_code == 200
    assert client.patch(f"/api/meetings/{meeting.pk}/", {"title": "x"}, format="json").status_code == 403


def test_schedule_meeting_one_audit_event_and_reminders(api, sec_a, team_a):
    response = api(sec_a).post(
        "/api/meetings/", meeting_body(team_a, reminder_offsets=[1440, 60]), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["region"] == "61.71" and body["status"] == "scheduled"
    assert body["reminder_offsets"] == [1440, 60]
    assert body["ics_url"].endswith("/rapat.ics")
    meeting = Meeting.objects.get(pk=body["id"])
    assert AuditEvent.objects.for_object(meeting).count() == 1


def test_default_offsets_in_api(api, sec_a, team_a):
    body = api(sec_a).post("/api/meetings/", meeting_body(team_a), format="json").json()
    assert body["reminder_offsets"] == [10080, 1440, 120]


def test_no_foreign_key_to_another_region(api, sec_a, team_a, team_b, meeting_a):
    client = api(sec_a)
    other_member = MemberFactory(team=team_b)
    other_institution = InstitutionFactory(region_id="61.01")
    for field, value in (
        ("team", team_b.pk),
        ("invited_members", [other_member.pk]),
        ("invited_institutions", [other_institution.pk]),
        ("invited_teams", [team_b.pk]),
    ):
        body = meeting_body(team_a, **{field: value})
        response = client.post("/api/meetings/", body, format="json")
        assert response.status_code == 400 and field in response.json(), (field, response.content)
    response = client.post(
        "/api/follow-ups/",
        {"meeting": meeting_a.pk, "owner": other_member.pk, "description": "x", "due_date": "2030-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "owner" in response.json()
    response = client.post(
        "/api/members/",
        {"team": team_a.pk, "name": "X", "position": position().pk, "institution": other_institution.pk},
        format="json",
    )
    assert response.status_code == 400 and "institution" in response.json()
    assert not Meeting.objects.exclude(pk=meeting_a.pk).exists()


def test_region_and_team_fixed_after_creation(api, sec_a, province_sec, team_a, meeting_a, team_b):
    response = api(province_sec).patch(f"/api/teams/{team_a.pk}/", {"region": "61.01"}, format="json")
    assert response.status_code == 400 and "region" in response.json()
    response = api(province_sec).patch(f"/api/meetings/{meeting_a.pk}/", {"team": team_b.pk}, format="json")
    assert response.status_code == 400 and "team" in response.json()
    assert Team.objects.get(pk=team_a.pk).region_id == "61.71"


def test_regency_cannot_create_a_team_elsewhere(api, sec_a):
    response = api(sec_a).post("/api/teams/", {"region": "61.01", "name": "Tim"}, format="json")
    assert response.status_code == 400 and "region" in response.json()
    response = api(sec_a).post("/api/teams/", {"region": "61.71", "name": "Tim Pontianak"}, format="json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "patch",
    [
        {"start": "bukan tanggal"},
        {"end": (START - timedelta(hours=1)).isoformat()},
        {"kind": "party"},
        {"kind": "period_evaluation"},
        {"period": "B99"},
        {"reminder_offsets": [-5]},
        {"reminder_offsets": "banyak"},
        {"reminder_offsets": list(range(1, 30))},
        {"online_link": "javascript:alert(1)"},
        {"title": ""},
        {"title": "x" * 500},
        {"status": "cancelled"},
        {"invited_members": ["abc"]},
        {"team": 999999},
    ],
)
def test_bad_meeting_input_is_a_400_with_field_errors(api, sec_a, team_a, patch):
    response = api(sec_a).post("/api/meetings/", meeting_body(team_a, **patch), format="json")
    assert response.status_code == 400, response.content
    assert response.json()


def test_cancel_endpoint(api, sec_a, meeting_a):
    response = api(sec_a).post(
        f"/api/meetings/{meeting_a.pk}/cancel/", {"note": "Ditunda pimpinan"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert AuditEvent.objects.for_object(meeting_a).get().action == "cancel"
    assert api(sec_a).post(f"/api/meetings/{meeting_a.pk}/cancel/", {}, format="json").status_code == 400


def test_followup_done_via_patch(api, sec_a, meeting_a):
    item = FollowUpFactory(meeting=meeting_a)
    response = api(sec_a).patch(f"/api/follow-ups/{item.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert FollowUp.objects.get(pk=item.pk).done_at is not None
    assert AuditEvent.objects.for_object(item).count() == 1


def test_member_crud_and_audit(api, sec_a, team_a, institution_a):
    client = api(sec_a)
    response = client.post(
        "/api/members/",
        {
            "team": team_a.pk,
            "name": "Kasat Intelkam (contoh)",
            "office": "Kasat Intelkam",
            "position": position().pk,
            "institution": institution_a.pk,
            "phone": "0561-123456",
            "email": "intel@example.test",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.patch(f"/api/members/{pk}/", {"phone": "bukan telp"}, format="json").status_code == 400
    assert client.patch(f"/api/members/{pk}/", {"office": "Kapolsek"}, format="json").status_code == 200
    assert client.delete(f"/api/members/{pk}/").status_code == 204
    member = Member(pk=pk)
    assert list(AuditEvent.objects.for_object(member).values_list("action", flat=True)) == [
        "delete",
        "update",
        "create",
    ]


def test_new_decree_endpoint(api, sec_a, team_a):
    MemberFactory(team=team_a)
    response = api(sec_a).post(
        f"/api/teams/{team_a.pk}/decrees/", {"number": "SK-1", "date": "2026-01-05"}, format="json"
    )
    assert response.status_code == 201
    assert api(sec_a).get(f"/api/teams/{team_a.pk}/").json()["decree_number"] == "SK-1"
    assert (
        api(sec_a).post(f"/api/teams/{team_a.pk}/decrees/", {"number": ""}, format="json").status_code == 400
    )


# --- filters: one line each ------------------------------------------------------------------------------


def test_meeting_filters(api, province_sec, team_a, team_b, team_prov):
    a = MeetingFactory(team=team_a, kind="limited", start=START)
    b = MeetingFactory(
        team=team_b, kind="period_evaluation", period="B08", status="held", start=START + timedelta(days=40)
    )
    p = MeetingFactory(team=team_prov, kind="other", start=START + timedelta(days=80))
    p.invitations.create(team=team_b)
    client = api(province_sec)
    assert ids(client.get("/api/meetings/?region=61.71")) == [a.pk]
    assert ids(client.get("/api/meetings/?region=61")) == sorted([a.pk, b.pk, p.pk])
    assert ids(client.get(f"/api/meetings/?team={team_b.pk}")) == [b.pk]
    assert ids(client.get("/api/meetings/?kind=period_evaluation")) == [b.pk]
    assert ids(client.get("/api/meetings/?status=held")) == [b.pk]
    assert ids(client.get("/api/meetings/?period=B08")) == [b.pk]
    day = timezone.localtime(START + timedelta(days=40)).date()
    assert ids(client.get(f"/api/meetings/?date_from={day}&date_to={day}")) == [b.pk]
    assert ids(client.get(f"/api/meetings/?invited_team={team_b.pk}")) == [p.pk]
    assert client.get("/api/meetings/?region=61.71' OR 1=1").status_code == 400
    assert client.get("/api/meetings/?date_from=kemarin").status_code == 400


def test_followup_filters(api, province_sec, team_a, team_b):
    today = timezone.localdate()
    late = FollowUpFactory(meeting__team=team_a, due_date=today - timedelta(days=2))
    done = FollowUpFactory(meeting__team=team_b, due_date=today - timedelta(days=2), status="done")
    later = FollowUpFactory(meeting__team=team_b, due_date=today + timedelta(days=30))
    client = api(province_sec)
    assert ids(client.get("/api/follow-ups/?overdue=true")) == [late.pk]
    assert ids(client.get("/api/follow-ups/?status=done")) == [done.pk]
    assert ids(client.get(f"/api/follow-ups/?owner={later.owner_id}")) == [later.pk]
    assert ids(client.get("/api/follow-ups/?region=61.01")) == sorted([done.pk, later.pk])
    assert ids(client.get(f"/api/follow-ups/?team={team_a.pk}")) == [late.pk]
    assert ids(client.get(f"/api/follow-ups/?meeting={late.meeting_id}")) == [late.pk]
    assert ids(client.get(f"/api/follow-ups/?due_from={today + timedelta(days=1)}")) == [later.pk]
    assert ids(client.get(f"/api/follow-ups/?due_to={today}")) == sorted([late.pk, done.pk])


def test_member_and_team_filters(api, province_sec, team_a, team_b, institution_a):
    a = MemberFactory(team=team_a, institution=institution_a, name="Budi Contoh")
    b = MemberFactory(team=team_b, position=position("Ketua"))
    client = api(province_sec)
    assert ids(client.get("/api/members/?region=61.01")) == [b.pk]
    assert ids(client.get(f"/api/members/?team={team_a.pk}")) == [a.pk]
    assert ids(client.get(f"/api/members/?institution={institution_a.pk}")) == [a.pk]
    assert ids(client.get(f"/api/members/?position={position('Ketua').pk}")) == [b.pk]
    assert ids(client.get("/api/members/?q=budi")) == [a.pk]
    assert ids(client.get("/api/members/?current=true")) == sorted([a.pk, b.pk])
    assert ids(client.get("/api/teams/?region=61.71")) == [team_a.pk]
    assert ids(client.get("/api/institutions/?region=61.71")) == [institution_a.pk]


# --- query counts ---------------------------------------------------------------------------------------


def _populate(n):
    for i in range(n):
        team = TeamFactory(region_id=["61.71", "61.01", "61"][i % 3])
        inst = InstitutionFactory(region_id=team.region_id)
        meeting = MeetingFactory(team=team)
        member = MemberFactory(team=team, institution=inst)
        meeting.invitations.create(member=member)
        meeting.invitations.create(institution=inst)
        FollowUpFactory(meeting=meeting, owner=member)


@pytest.mark.parametrize(
    "url",
    [
        "/api/teams/",
        "/api/institutions/",
        "/api/members/",
        "/api/meetings/",
        "/api/follow-ups/",
        "/api/positions/",
    ],
)
def test_list_endpoints_have_a_fixed_number_of_queries(api, province_sec, django_assert_max_num_queries, url):
    client = api(province_sec)
    _populate(3)
    with django_assert_max_num_queries(
        4
    ) as small:  # COUNT, page, prefetches (meetings: invitations, attachments)
        client.get(url)
    _populate(12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_owner_patches_the_status_of_their_own_item_and_nothing_else(
    api, member_a, member_of_a, leadership_a, meeting_a
):
    mine = FollowUpFactory(meeting=meeting_a, owner=member_of_a, description="Koordinasi patroli")
    someone_elses = FollowUpFactory(meeting=meeting_a)
    client = api(member_a)
    url = f"/api/follow-ups/{mine.pk}/"
    assert client.patch(url, {"description": "Diubah"}, format="json").status_code == 403
    assert client.patch(url, {"status": "done", "description": "Diubah"}, format="json").status_code == 403
    response = client.patch(url, {"status": "done"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    mine.refresh_from_db()
    assert mine.status == FollowUp.Status.DONE and mine.description == "Koordinasi patroli"
    assert AuditEvent.objects.filter(action="complete", object_id=str(mine.pk), actor=member_a).count() == 1
    other = f"/api/follow-ups/{someone_elses.pk}/"
    assert client.patch(other, {"status": "done"}, format="json").status_code == 404
    assert api(leadership_a).patch(url, {"status": "open"}, format="json").status_code == 403


def test_minutes_files_are_uploaded_through_the_api_by_the_organisers_only(
    api, web, sec_a, team_a, team_prov, meeting_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def pdf(name="notulen.pdf"):
        return SimpleUploadedFile(
            name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf"
        )

    client = api(sec_a)
    response = client.post(f"/api/meetings/{meeting_a.pk}/attachments/", {"file": pdf()}, format="multipart")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["original_name"] == "notulen.pdf" and body["content_type"] == "application/pdf"
    listed = client.get(f"/api/meetings/{meeting_a.pk}/").json()["attachments"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert web(sec_a).get(body["download_url"]).status_code == 200  # a signed-in page, as for the HTML
    assert AuditEvent.objects.filter(action="create", object_id=str(body["id"]), actor=sec_a).count() == 1

    refused = client.post(
        f"/api/meetings/{meeting_a.pk}/attachments/",
        {"file": SimpleUploadedFile("notulen.pdf", b"<html>bukan pdf</html>", "application/pdf")},
        format="multipart",
    )
    assert refused.status_code == 400 and "Jenis berkas tidak diizinkan" in refused.json()["file"][0]

    # an invited team's secretariat reads the province's meeting but does not write its minutes
    province = MeetingFactory(team=team_prov, title="Rapat provinsi")
    province.invitations.create(team=team_a)
    assert client.get(f"/api/meetings/{province.pk}/").status_code == 200
    answer = client.post(f"/api/meetings/{province.pk}/attachments/", {"file": pdf()}, format="multipart")
    assert answer.status_code == 403
    assert not province.attachments.exists()
