"""Services: reminder planning (time frozen), reschedule, cancel, follow-ups, decrees; one audit event
per change; scope re-checked on every write."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from konflik.models import AuditEvent, Reminder
from teams import reminder_kinds as kinds
from teams import services
from teams.models import FollowUp, Invitation, Meeting, Member
from teams.tests.factories import MemberFactory, position

WIB = timezone.get_fixed_timezone(7 * 60)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=WIB)


def wib(*args):
    return datetime(*args, tzinfo=WIB)


def planned(meeting, kind=kinds.MEETING_REMINDER, status=Reminder.Status.PENDING):
    return sorted(
        (r.due_at, r.payload.get("offset"))
        for r in Reminder.objects.filter(kind=kind, object_id=str(meeting.pk), status=status)
    )


def events(obj):
    return list(AuditEvent.objects.for_object(obj).values_list("action", flat=True))


def schedule(actor, team, **extra):
    fields = {
        "title": "Rapat evaluasi B04",
        "kind": Meeting.Kind.PERIOD_EVALUATION,
        "period": "B04",
        "start": wib(2026, 3, 20, 9, 0),
        "end": wib(2026, 3, 20, 12, 0),
        "place": "Aula Kesbangpol",
    }
    fields.update(extra)
    return services.meeting_schedule(actor=actor, team=team, **fields)


@time_machine.travel(NOW, tick=False)
def test_default_offsets_plan_three_reminders_and_an_invitation(sec_a, team_a):
    meeting = schedule(sec_a, team_a)
    assert meeting.reminder_offsets == [10080, 1440, 120]
    assert planned(meeting) == [
        (wib(2026, 3, 13, 9, 0), 10080),
        (wib(2026, 3, 19, 9, 0), 1440),
        (wib(2026, 3, 20, 7, 0), 120),
    ]
    invitation = Reminder.objects.get(kind=kinds.MEETING_INVITATION, object_id=str(meeting.pk))
    assert invitation.due_at == NOW and invitation.region_id == "61.71"
    assert events(meeting) == ["create"]


@time_machine.travel(NOW, tick=False)
def test_offsets_already_past_are_skipped(sec_a, team_a):
    meeting = schedule(sec_a, team_a, start=wib(2026, 3, 3, 9, 0), end=wib(2026, 3, 3, 10, 0))
    # 7 days before is in the past; 1 day before is exactly now (also past); 2 hours before is ahead.
    assert planned(meeting) == [(wib(2026, 3, 3, 7, 0), 120)]


@time_machine.travel(NOW, tick=False)
def test_custom_offsets_are_cleaned(sec_a, team_a):
    meeting = schedule(sec_a, team_a, reminder_offsets=[30, 2880, 30])
    assert meeting.reminder_offsets == [2880, 30]
    assert [offset for _, offset in planned(meeting)] == [2880, 30]
    with pytest.raises(ValidationError) as exc:
        schedule(sec_a, team_a, reminder_offsets=[0])
    assert "reminder_offsets" in exc.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_reschedule_replans_pending_and_notifies(sec_a, team_a):
    meeting = schedule(sec_a, team_a)
    services.meeting_update(
        actor=sec_a, meeting=meeting, start=wib(2026, 3, 27, 13, 0), end=wib(2026, 3, 27, 15, 0)
    )
    assert planned(meeting) == [
        (wib(2026, 3, 20, 13, 0), 10080),
        (wib(2026, 3, 26, 13, 0), 1440),
        (wib(2026, 3, 27, 11, 0), 120),
    ]
    assert len(planned(meeting, status=Reminder.Status.CANCELLED)) == 3
    notices = Reminder.objects.filter(kind=kinds.MEETING_INVITATION, object_id=str(meeting.pk))
    assert sorted(r.payload["notice"] for r in notices) == ["invited", "rescheduled"]
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert events(meeting) == ["update", "create"]


@time_machine.travel(NOW, tick=False)
def test_editing_the_agenda_leaves_reminders_alone(sec_a, team_a):
    meeting = schedule(sec_a, team_a)
    before = list(Reminder.objects.order_by("id").values_list("id", "status"))
    services.meeting_update(actor=sec_a, meeting=meeting, agenda="1. Pembukaan")
    assert list(Reminder.objects.order_by("id").values_list("id", "status")) == before


@time_machine.travel(NOW, tick=False)
def test_cancel_cancels_pending_and_sends_a_notice(sec_a, team_a):
    meeting = schedule(sec_a, team_a)
    services.meeting_cancel(actor=sec_a, meeting=meeting, note="Bentrok dengan kunjungan kerja")
    assert planned(meeting) == []
    assert Reminder.objects.filter(kind=kinds.MEETING_CANCELLED, object_id=str(meeting.pk)).count() == 1
    assert events(meeting) == ["cancel", "create"]
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=sec_a, meeting=meeting)


@time_machine.travel(NOW, tick=False)
def test_postpone_stops_and_rescheduling_back_replans(sec_a, team_a):
    meeting = schedule(sec_a, team_a)
    services.meeting_update(actor=sec_a, meeting=meeting, status=Meeting.Status.POSTPONED)
    assert planned(meeting) == []
    services.meeting_update(actor=sec_a, meeting=meeting, status=Meeting.Status.SCHEDULED)
    assert len(planned(meeting)) == 3


@time_machine.travel(NOW, tick=False)
def test_period_only_for_evaluation_and_end_after_start(sec_a, team_a):
    with pytest.raises(ValidationError):
        schedule(sec_a, team_a, kind=Meeting.Kind.LIMITED, period="B04")
    with pytest.raises(ValidationError):
        schedule(sec_a, team_a, period="")
    with pytest.raises(ValidationError) as exc:
        schedule(sec_a, team_a, end=wib(2026, 3, 20, 8, 0))
    assert "end" in exc.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_province_invites_regency_teams_but_a_regency_cannot_reach_out(
    province_sec, sec_a, team_prov, team_a, team_b
):
    meeting = schedule(province_sec, team_prov, invited_teams=[team_a, team_b])
    assert set(meeting.invitations.values_list("team_id", flat=True)) == {team_a.pk, team_b.pk}
    with pytest.raises(ValidationError) as exc:
        schedule(sec_a, team_a, invited_teams=[team_b])
    assert "invited_teams" in exc.value.message_dict
    other = MemberFactory(team=team_b)
    with pytest.raises(ValidationError):
        schedule(sec_a, team_a, invited_members=[other])


def test_writes_outside_scope_are_refused(sec_a, sec_b, leadership, team_a, meeting_a):
    with pytest.raises(PermissionDenied):
        services.meeting_update(actor=sec_b, meeting=meeting_a, title="x")
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(actor=leadership, meeting=meeting_a)
    with pytest.raises(PermissionDenied):
        services.member_create(actor=sec_b, team=team_a, name="X", position=position())
    assert not AuditEvent.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_followup_reminders_before_and_after_due(sec_a, meeting_a):
    owner = MemberFactory(team=meeting_a.team)
    item = services.followup_create(
        actor=sec_a,
        meeting=meeting_a,
        description="Koordinasi dengan camat",
        owner=owner,
        due_date=date(2026, 3, 10),
    )
    due = sorted(r.due_at for r in Reminder.objects.filter(kind=kinds.FOLLOWUP_DUE, object_id=str(item.pk)))
    late = sorted(
        r.due_at for r in Reminder.objects.filter(kind=kinds.FOLLOWUP_OVERDUE, object_id=str(item.pk))
    )
    assert due == [wib(2026, 3, 7, 8, 0), wib(2026, 3, 9, 8, 0)]
    assert late == [wib(2026, 3, 11, 8, 0), wib(2026, 3, 17, 8, 0)]
    services.followup_complete(actor=sec_a, follow_up=item)
    assert not Reminder.objects.filter(object_id=str(item.pk), status=Reminder.Status.PENDING).exists()
    item.refresh_from_db()
    assert item.status == FollowUp.Status.DONE and item.done_at is not None
    assert events(item) == ["complete", "create"]


def test_followup_owner_must_be_in_the_organisers_scope(sec_a, meeting_a, team_b):
    with pytest.raises(ValidationError) as exc:
        services.followup_create(
            actor=sec_a,
            meeting=meeting_a,
            description="x",
            owner=MemberFactory(team=team_b),
            due_date=date(2030, 1, 1),
        )
    assert "owner" in exc.value.message_dict


def test_new_decree_starts_a_new_list_prefilled_from_the_last(sec_a, team_a):
    first = services.decree_start(actor=sec_a, team=team_a, number="188.45/1/2025", date=date(2025, 1, 6))
    services.member_create(actor=sec_a, team=team_a, name="Ketua Contoh", position=position("Ketua"))
    services.member_create(actor=sec_a, team=team_a, name="Anggota Contoh", position=position())
    second = services.decree_start(
        actor=sec_a, team=team_a, number="188.45/2/2026", date=date(2026, 1, 5), valid_from=date(2026, 1, 5)
    )
    team_a.refresh_from_db()
    assert team_a.current_decree == second and team_a.decree_number == "188.45/2/2026"
    assert Member.objects.filter(decree=first).count() == 2
    assert sorted(Member.objects.filter(decree=second).values_list("name", flat=True)) == [
        "Anggota Contoh",
        "Ketua Contoh",
    ]
    assert events(team_a) == ["new_decree", "new_decree"]


def test_member_institution_must_be_of_the_team_region(sec_a, team_a, db):
    from teams.tests.factories import InstitutionFactory

    with pytest.raises(ValidationError) as exc:
        services.member_create(
            actor=sec_a,
            team=team_a,
            name="X",
            position=position(),
            institution=InstitutionFactory(region_id="61.01"),
        )
    assert "institution" in exc.value.message_dict


@time_machine.travel(NOW, tick=False)
def test_attendance_is_one_audit_event(sec_a, team_a):
    m1, m2 = MemberFactory(team=team_a), MemberFactory(team=team_a)
    meeting = schedule(sec_a, team_a, invited_members=[m1, m2])
    inv1, inv2 = meeting.invitations.order_by("id")
    services.meeting_record_attendance(
        actor=sec_a,
        meeting=meeting,
        attendance={inv1.pk: ("present", ""), inv2.pk: ("represented", "Staf Ahli")},
    )
    assert Invitation.objects.get(pk=inv2.pk).attendee_name == "Staf Ahli"
    assert events(meeting) == ["attendance", "create"]


def test_far_past_meeting_plans_nothing(sec_a, team_a):
    start = timezone.now() - timedelta(days=3)
    meeting = schedule(sec_a, team_a, start=start, end=start + timedelta(hours=1))
    assert not Reminder.objects.filter(object_id=str(meeting.pk)).exists()


@time_machine.travel(NOW, tick=False)
def test_saving_the_same_time_in_wib_is_not_a_move(sec_a, team_a):
    """A form gives WIB times, the database returns UTC: the same instant is not a reschedule."""
    meeting = schedule(sec_a, team_a)
    fresh = Meeting.objects.get(pk=meeting.pk)
    services.meeting_update(
        actor=sec_a, meeting=fresh, start=wib(2026, 3, 20, 9, 0), end=wib(2026, 3, 20, 12, 0)
    )
    fresh.refresh_from_db()
    assert fresh.sequence == 0
    assert Reminder.objects.filter(kind=kinds.MEETING_INVITATION).count() == 1
    assert AuditEvent.objects.for_object(meeting).first().changes == {}
    invitation = Reminder.objects.get(kind=kinds.MEETING_INVITATION)
    assert kinds.MeetingInvitation().is_relevant(invitation, fresh)
