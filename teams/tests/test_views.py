"""HTML pages: scope and roles on every page (404 outside scope, 403 for read-only roles), forms with
Indonesian messages, calendar, .ics and the personal feed, minutes attachments, query counts."""

import datetime
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from konflik.models import AuditEvent
from teams.models import CalendarToken, Meeting, MinutesAttachment
from teams.tests.factories import (
    FollowUpFactory,
    InstitutionFactory,
    MeetingFactory,
    MemberFactory,
    TeamFactory,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def attachment_a(meeting_a, sec_a):
    from teams import services, uploads

    clean = uploads.clean_upload(SimpleUploadedFile("notulen.pdf", PDF, content_type="application/pdf"))
    return services.attachment_add(actor=sec_a, meeting=meeting_a, clean=clean)


def pages(team, meeting, item, member, institution, attachment):
    """(url, readable by leadership, readable by members)"""
    return [
        (reverse("teams:team_detail", args=[team.pk]), True, False),
        (reverse("teams:team_update", args=[team.pk]), False, False),
        (reverse("teams:decree_create", args=[team.pk]), False, False),
        (reverse("teams:member_create", args=[team.pk]), False, False),
        (reverse("teams:member_import", args=[team.pk]), False, False),
        (reverse("teams:member_update", args=[member.pk]), False, False),
        (reverse("teams:institution_update", args=[institution.pk]), False, False),
        (reverse("teams:meeting_detail", args=[meeting.pk]), True, True),
        (reverse("teams:meeting_update", args=[meeting.pk]), False, False),
        (reverse("teams:meeting_ics", args=[meeting.pk]), True, True),
        (reverse("teams:followup_create", args=[meeting.pk]), False, False),
        (reverse("teams:followup_detail", args=[item.pk]), True, True),
        (reverse("teams:attachment_download", args=[meeting.pk, attachment.pk]), True, True),
    ]


LISTS = [
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
]
READ_ONLY_LISTS = {"teams:team_create", "teams:institution_create", "teams:meeting_create"}
MEMBER_LISTS = {"teams:meeting_list", "teams:calendar", "teams:followup_list", "teams:calendar_feed_settings"}


@pytest.fixture
def objects_a(team_a, meeting_a, member_of_a, institution_a, attachment_a):
    item = FollowUpFactory(meeting=meeting_a, owner=member_of_a)
    meeting_a.invitations.create(member=member_of_a)
    return pages(team_a, meeting_a, item, member_of_a, institution_a, attachment_a)


def test_every_page_for_every_role(
    web, objects_a, sec_a, sec_b, province_sec, leadership, leadership_a, member_a, admin_user
):
    for url, leadership_reads, member_reads in objects_a:
        assert web(sec_a).get(url).status_code == 200, url
        assert web(province_sec).get(url).status_code == 200, url
        assert web(admin_user).get(url).status_code == 200, url
        assert web(sec_b).get(url).status_code == 404, url
        for boss in (leadership, leadership_a):
            assert web(boss).get(url).status_code == (200 if leadership_reads else 403), url
        assert web(member_a).get(url).status_code in ((200,) if member_reads else (403, 404)), url
        assert web().get(url).status_code == 302, url


def test_every_list_for_every_role(web, sec_a, leadership, member_a):
    for name in LISTS:
        url = reverse(name)
        assert web(sec_a).get(url).status_code == 200, url
        assert web(leadership).get(url).status_code == (403 if name in READ_ONLY_LISTS else 200), url
        assert web(member_a).get(url).status_code == (200 if name in MEMBER_LISTS else 403), url
        assert web().get(url).status_code == 302


def test_posts_are_refused_to_leadership_and_other_regions(
    web, meeting_a, team_a, leadership_a, sec_b, member_a
):
    for url in (
        reverse("teams:meeting_cancel", args=[meeting_a.pk]),
        reverse("teams:meeting_status", args=[meeting_a.pk]),
        reverse("teams:meeting_minutes", args=[meeting_a.pk]),
        reverse("teams:meeting_attendance", args=[meeting_a.pk]),
        reverse("teams:team_update", args=[team_a.pk]),
    ):
        assert web(leadership_a).post(url, {}).status_code == 403
        assert web(member_a).post(url, {}).status_code == 403
        assert web(sec_b).post(url, {}).status_code == 404
    assert Meeting.objects.get(pk=meeting_a.pk).status == "scheduled"
    assert not AuditEvent.objects.exists()


def test_invited_team_sees_meeting_in_calendar_but_cannot_edit(web, sec_a, team_prov, team_a):
    start = timezone.now() + timedelta(days=2)
    meeting = MeetingFactory(team=team_prov, title="Rakor provinsi", start=start)
    meeting.invitations.create(team=team_a)
    month = timezone.localtime(start).strftime("%Y-%m")
    page = web(sec_a).get(reverse("teams:calendar") + f"?bulan={month}").content.decode()
    assert "Rakor provinsi" in page
    assert "Rakor provinsi" in web(sec_a).get(reverse("teams:meeting_list")).content.decode()
    assert web(sec_a).get(reverse("teams:meeting_update", args=[meeting.pk])).status_code == 403


def test_schedule_meeting_form_in_wib_and_indonesian_errors(web, sec_a, team_a):
    client = web(sec_a)
    response = client.post(
        reverse("teams:meeting_create"),
        {
            "team": team_a.pk,
            "kind": "limited",
            "title": "Rapat",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T08:00",
        },
    )
    assert response.status_code == 200
    assert "Waktu selesai harus setelah waktu mulai." in response.content.decode()
    response = client.post(
        reverse("teams:meeting_create"),
        {
            "team": team_a.pk,
            "kind": "limited",
            "title": "Rapat terbatas",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T11:00",
            "reminder_offsets_text": "1440, 60",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Rapat terbatas")
    assert timezone.localtime(meeting.start).strftime("%H:%M") == "09:00"
    assert meeting.start.utcoffset() is not None and meeting.start.astimezone(datetime.UTC).hour == 2
    assert meeting.reminder_offsets == [1440, 60]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "09:00" in page and "WIB" in page


def test_bad_offsets_get_an_indonesian_message(web, sec_a, team_a):
    response = web(sec_a).post(
        reverse("teams:meeting_create"),
        {
            "team": team_a.pk,
            "kind": "limited",
            "title": "R",
            "start": "2030-05-01T09:00",
            "end": "2030-05-01T10:00",
            "reminder_offsets_text": "besok",
        },
    )
    assert "Tulis angka menit dipisah koma." in response.content.decode()


def test_meeting_ics(web, sec_a, meeting_a):
    response = web(sec_a).get(reverse("teams:meeting_ics", args=[meeting_a.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert f"UID:meeting-{meeting_a.pk}@konflik" in body and "SUMMARY:Rapat A" in body


def test_personal_feed_with_secret_token(web, client, sec_a, sec_b, meeting_a, meeting_b):
    assert web(sec_a).post(reverse("teams:calendar_feed_settings")).status_code == 302
    token = CalendarToken.objects.get(user=sec_a).token
    feed = client.get(reverse("teams:calendar_feed", args=[token]))
    assert (
        feed.status_code == 200
        and "Rapat A" in feed.content.decode()
        and "Rapat B" not in feed.content.decode()
    )
    assert client.get(reverse("teams:calendar_feed", args=["salah"])).status_code == 404
    web(sec_a).post(reverse("teams:calendar_feed_settings"))  # rotate: the old URL dies
    assert client.get(reverse("teams:calendar_feed", args=[token])).status_code == 404


def test_attachment_download_is_permission_checked(web, sec_a, sec_b, attachment_a, meeting_a):
    url = reverse("teams:attachment_download", args=[meeting_a.pk, attachment_a.pk])
    response = web(sec_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert web(sec_b).get(url).status_code == 404
    other = MeetingFactory(team=meeting_a.team)
    assert (
        web(sec_a).get(reverse("teams:attachment_download", args=[other.pk, attachment_a.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "name,content",
    [
        ("notulen.html", b"<html><script>alert(1)</script></html>"),
        ("gambar.svg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>"),
        ("palsu.pdf", b"MZ\x90\x00 not a pdf"),
        ("../../etc/passwd", b"root:x:0:0"),
    ],
)
def test_bad_uploads_are_refused(web, sec_a, meeting_a, name, content):
    response = web(sec_a).post(
        reverse("teams:meeting_minutes", args=[meeting_a.pk]),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )
    assert "Jenis berkas tidak diizinkan" in response.content.decode()
    assert not MinutesAttachment.objects.exists()


def test_oversize_upload_refused(web, sec_a, meeting_a, settings):
    settings.KONFLIK_TEAMS_MAX_FILE_BYTES = 100
    response = web(sec_a).post(
        reverse("teams:meeting_minutes", args=[meeting_a.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF + b"x" * 200)},
        follow=True,
    )
    assert "Berkas terlalu besar" in response.content.decode()


def test_image_upload_is_reencoded(web, sec_a, meeting_a):
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="JPEG", exif=b"Exif\x00\x00fake-gps")
    web(sec_a).post(
        reverse("teams:meeting_minutes", args=[meeting_a.pk]),
        {"file": SimpleUploadedFile("foto.jpg", buffer.getvalue())},
    )
    attachment = MinutesAttachment.objects.get()
    assert attachment.content_type == "image/jpeg" and b"fake-gps" not in attachment.file.read()
    assert attachment.file.name.startswith("teams/minutes/") and "foto" not in attachment.file.name


def test_cancel_and_status_from_the_page(web, sec_a, meeting_a):
    client = web(sec_a)
    client.post(reverse("teams:meeting_status", args=[meeting_a.pk]), {"status": "postponed"})
    assert Meeting.objects.get(pk=meeting_a.pk).status == "postponed"
    client.post(reverse("teams:meeting_cancel", args=[meeting_a.pk]), {"note": "x"})
    assert Meeting.objects.get(pk=meeting_a.pk).status == "cancelled"


def test_history_shown_on_meeting_page(web, sec_a, meeting_a):
    web(sec_a).post(
        reverse("teams:meeting_minutes", args=[meeting_a.pk]), {"minutes": "Disepakati patroli bersama."}
    )
    page = web(sec_a).get(meeting_a.get_absolute_url()).content.decode()
    assert "Riwayat perubahan" in page and "Disepakati patroli bersama." in page


def _populate(n):
    for i in range(n):
        team = TeamFactory(region_id=["61.71", "61.01", "61"][i % 3])
        inst = InstitutionFactory(region_id=team.region_id)
        meeting = MeetingFactory(team=team, start=timezone.now() + timedelta(days=i % 20))
        member = MemberFactory(team=team, institution=inst)
        meeting.invitations.create(member=member)
        FollowUpFactory(meeting=meeting, owner=member)


@pytest.mark.parametrize(
    "name",
    [
        "teams:team_list",
        "teams:member_list",
        "teams:institution_list",
        "teams:meeting_list",
        "teams:calendar",
        "teams:followup_list",
    ],
)
def test_list_pages_have_a_fixed_number_of_queries(web, province_sec, django_assert_max_num_queries, name):
    client = web(province_sec)
    _populate(3)
    # session (+ its save), user, OTP device, COUNT, page, upcoming, the bell, the user's region
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse(name)).status_code == 200
    _populate(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_team_detail_query_count(web, province_sec, team_a, django_assert_max_num_queries):
    for _ in range(3):
        MemberFactory(team=team_a, institution=InstitutionFactory())
    client = web(province_sec)
    with django_assert_max_num_queries(16) as small:
        client.get(reverse("teams:team_detail", args=[team_a.pk]))
    for _ in range(10):
        MemberFactory(team=team_a, institution=InstitutionFactory())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("teams:team_detail", args=[team_a.pk]))


@pytest.mark.django_db
def test_the_owner_marks_their_own_item_done_and_can_do_nothing_else(
    web, member_a, member_of_a, meeting_a, sec_a
):
    from konflik.models import AuditEvent
    from teams.models import FollowUp
    from teams.tests.factories import FollowUpFactory, MemberFactory

    mine = FollowUpFactory(meeting=meeting_a, owner=member_of_a, description="Koordinasi patroli")
    someone_elses = FollowUpFactory(meeting=meeting_a, owner=MemberFactory(team=meeting_a.team))
    client = web(member_a)
    page = client.get(f"/tim/tindak-lanjut/{mine.pk}/").content.decode()
    assert "Tandai selesai" in page and 'name="description"' not in page

    assert client.post(f"/tim/tindak-lanjut/{mine.pk}/", {"status": "done"}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == FollowUp.Status.DONE and mine.done_at is not None
    event = AuditEvent.objects.filter(action="complete", object_id=str(mine.pk)).get()
    assert event.actor_id == member_a.pk

    # the owner cannot edit the item, and cannot touch anyone else's
    response = client.post(
        f"/tim/tindak-lanjut/{mine.pk}/", {"description": "Diubah", "due_date": "2030-01-01"}
    )
    assert response.status_code == 403
    assert client.post(f"/tim/tindak-lanjut/{someone_elses.pk}/", {"status": "done"}).status_code == 404
    mine.refresh_from_db()
    someone_elses.refresh_from_db()
    assert mine.description == "Koordinasi patroli" and someone_elses.status == FollowUp.Status.OPEN
    # the secretariat sees who closed it, and can open it again
    assert "Buka kembali" in web(sec_a).get(f"/tim/tindak-lanjut/{mine.pk}/").content.decode()
