"""Reads of the teams app, all built on `visible_to(user)`."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q
from django.utils import timezone

from konflik import reminders
from konflik.permissions import WRITE_ROLES, role_of
from konflik.scoping import code_in_scope, scoped_prefetch, user_can_see_region

from .models import Decree, FollowUp, Institution, Invitation, Meeting, Member, MinutesAttachment, Team


def can_manage_team(user, team) -> bool:
    """Secretariats (and admin) write in their own scope; leadership, members and invited teams read."""
    return role_of(user) in WRITE_ROLES and user_can_see_region(user, team.region_id)


def owns_follow_up(user, item) -> bool:
    """The item's owner, signed in with the account linked to their membership."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and item.owner.user_id is not None
        and item.owner.user_id == user.pk
    )


def current_members_q(prefix=""):
    """Members on their team's current decree (or on no decree yet), not past their active period."""
    p = f"{prefix}__" if prefix else ""
    return (Q(**{f"{p}decree__isnull": True}) | Q(**{f"{p}decree": F(f"{p}team__current_decree")})) & (
        Q(**{f"{p}active_until__isnull": True}) | Q(**{f"{p}active_until__gte": timezone.localdate()})
    )


def team_list(*, user):
    return (
        Team.objects.visible_to(user)
        .select_related("region", "current_decree")
        .annotate(member_count=Count("members", filter=current_members_q("members"), distinct=True))
        .order_by("region_id")  # Meta.ordering is not applied to GROUP BY queries
    )


def _members_of(queryset, *, team, decree):
    qs = queryset.filter(team=team).select_related("institution", "position", "user")
    if decree is not None:
        return qs.filter(decree=decree)
    return qs.filter(current_members_q())


def team_members(*, team, decree=None):
    """Every member on a team's list (the current one, or `decree`'s): for services, not for pages."""
    return _members_of(Member.objects.all(), team=team, decree=decree)


def visible_team_members(*, user, team, decree=None):
    """A team's membership list as the user may see it (a team's page)."""
    return _members_of(Member.objects.visible_to(user), team=team, decree=decree)


def team_decrees(*, user, team):
    return Decree.objects.visible_to(user).filter(team=team)


def member_list(*, user):
    return Member.objects.visible_to(user).select_related("team", "institution", "position", "decree", "user")


def institution_list(*, user):
    return Institution.objects.visible_to(user).select_related("region")


def meeting_list(*, user):
    return Meeting.objects.visible_to(user).select_related("team", "team__region")


def meeting_nested_rows(*, user, invitations=None):
    """The prefetches of a meeting's invitee lines and files, each row only if the user may see it:
    an invited regency sees its own lines of a province meeting, not another regency's."""
    if invitations is None:
        invitations = Invitation.objects.select_related("member", "institution", "team")
    return [scoped_prefetch("invitations", user, invitations), scoped_prefetch("attachments", user)]


def meeting_detail_queryset(*, user):
    """A meeting with what its page shows: invitee lines, files and follow-up items, scoped each."""
    invitations = Invitation.objects.select_related(
        "member", "member__institution", "member__team", "institution", "team"
    )
    return meeting_list(user=user).prefetch_related(
        *meeting_nested_rows(user=user, invitations=invitations),
        scoped_prefetch("follow_ups", user, FollowUp.objects.select_related("owner", "owner__team")),
    )


def upcoming_meetings(*, user, now=None, limit=10):
    now = now or timezone.now()
    return (
        meeting_list(user=user)
        .filter(end__gte=now, status__in=[Meeting.Status.SCHEDULED, Meeting.Status.POSTPONED])
        .order_by("start", "id")[:limit]
    )


def month_bounds(year: int, month: int):
    """The first instant of the month and of the next one, in WIB."""
    tz = timezone.get_current_timezone()
    first = datetime(year, month, 1, tzinfo=tz)
    nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return first, nxt


def month_calendar(*, user, year: int, month: int):
    """Weeks (Monday first) of day cells `{"date", "in_month", "meetings"}` for a month view."""
    first, nxt = month_bounds(year, month)
    meetings = list(meeting_list(user=user).filter(start__lt=nxt, end__gte=first).order_by("start", "id"))
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.start).date(), []).append(meeting)
    day = first.date() - timedelta(days=first.weekday())
    last = (nxt - timedelta(days=1)).date()
    weeks = []
    while day <= last or day.weekday() != 0:
        if day.weekday() == 0:
            weeks.append([])
        weeks[-1].append({"date": day, "in_month": day.month == month, "meetings": by_day.get(day, [])})
        day += timedelta(days=1)
    return weeks


def attachment_for_download(*, user, meeting_pk, pk):
    return (
        MinutesAttachment.objects.visible_to(user)
        .filter(meeting_id=meeting_pk, pk=pk)
        .select_related("meeting")
        .first()
    )


def followup_list(*, user):
    return FollowUp.objects.visible_to(user).select_related(
        "meeting", "meeting__team", "owner", "owner__team", "owner__institution"
    )


def feed_meetings(*, user, now=None):
    """What a personal calendar feed carries: 90 days back, a year ahead."""
    now = now or timezone.now()
    return meeting_list(user=user).filter(
        start__gte=now - timedelta(days=90), start__lte=now + timedelta(days=366)
    )


# --- who is told ---------------------------------------------------------------------------------------


def _secretariat_users(region_codes):
    User = get_user_model()
    return User.objects.filter(
        is_active=True,
        region_id__in=list(region_codes),
        role__in=[User.Role.PROVINCE_SECRETARIAT, User.Role.REGENCY_SECRETARIAT],
    )


def meeting_invitee_members(meeting):
    """Every member a meeting reaches: named ones, current members of invited institutions and teams."""
    invitations = list(meeting.invitations.all())
    member_ids = [i.member_id for i in invitations if i.member_id]
    institution_ids = [i.institution_id for i in invitations if i.institution_id]
    team_ids = [i.team_id for i in invitations if i.team_id]
    q = Q(pk__in=member_ids)
    if institution_ids:
        q |= Q(institution_id__in=institution_ids) & current_members_q()
    if team_ids:
        q |= Q(team_id__in=team_ids) & current_members_q()
    return Member.objects.filter(q).select_related("user").order_by("id")


def meeting_recipients(meeting):
    """Invitees with contact details (e-mail and/or account), and in-app the secretariat users of the
    organising team and of every invited team."""
    result = [
        reminders.Recipient(name=m.name, email=m.email, user=m.user) for m in meeting_invitee_members(meeting)
    ]
    invited_regions = meeting.invitations.filter(team__isnull=False).values_list("team__region_id", flat=True)
    codes = {meeting.team.region_id, *invited_regions}
    result += [
        reminders.Recipient(name=u.get_full_name() or u.username, user=u, channels=("in_app",))
        for u in _secretariat_users(codes)
    ]
    return result


def followup_recipients(follow_up):
    owner = follow_up.owner
    result = [reminders.Recipient(name=owner.name, email=owner.email, user=owner.user)]
    codes = {follow_up.meeting.team.region_id, owner.team.region_id}
    result += [
        reminders.Recipient(name=u.get_full_name() or u.username, user=u, channels=("in_app",))
        for u in _secretariat_users(codes)
    ]
    return result


def followup_reminder_times(follow_up, *, days_before, days_after, hour):
    tz = timezone.get_current_timezone()

    def at(day):
        return datetime.combine(day, time(hour), tzinfo=tz)

    before = [(d, at(follow_up.due_date - timedelta(days=d))) for d in days_before]
    after = [(d, at(follow_up.due_date + timedelta(days=d))) for d in days_after]
    return before, after


def in_scope(user, code):
    return user.is_admin_role or code_in_scope(code, user.region_id)
