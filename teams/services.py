"""Writes of the teams app. Each service: one transaction, `full_clean()`, one audit event, reminder
rows planned in the same transaction, re-checked scope (a secretariat cannot write outside its own)."""

import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konflik import reminders
from konflik.access import require_write
from konflik.models import Region
from konflik.scoping import code_in_scope
from konflik.services import audit_log, snapshot

from . import reminder_kinds as kinds
from .models import (
    CalendarToken,
    Decree,
    FollowUp,
    Institution,
    Invitation,
    Meeting,
    Member,
    MinutesAttachment,
    Team,
)
from .selectors import can_manage_team, followup_reminder_times, owns_follow_up

MAX_OFFSET_MINUTES = 60 * 24 * 60  # 60 days
MAX_OFFSETS = 10


def _region_within(code, scope_code):
    return code_in_scope(code, scope_code)


def _require_team_level(region, message):
    """Teams and their institutions belong to the province or a regency/city (Permendagri 42/2015),
    never to a district or village; the form offers only those, and the API is held to the same."""
    if region.level not in TEAM_LEVELS:
        raise ValidationError({"region": message})


# Meetings are visible to the teams invited to them (`visible_to`), in other regions too: a refused
# write there is a 403 for a meeting the actor sees, so meeting writes pass `allowed=` rather than
# `region_code=` (the views' `visible_to` lookups already make an unseen meeting a 404).

# --- teams and decrees ---------------------------------------------------------------------------------

TEAM_FIELDS = ("name", "secretariat_unit")
TEAM_LEVELS = (Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY)


@transaction.atomic
def team_create(*, actor, region, name, secretariat_unit="") -> Team:
    team = Team(region=region, name=name, secretariat_unit=secretariat_unit)
    require_write(actor, region_code=team.region_id)
    _require_team_level(
        region, _("Tim terpadu dibentuk di provinsi atau kabupaten/kota, bukan kecamatan atau desa.")
    )
    team.full_clean()
    team.save()
    audit_log(actor=actor, action="create", obj=team, after=snapshot(team))
    return team


@transaction.atomic
def team_update(*, actor, team: Team, **fields) -> Team:
    """Name and secretariat unit; the region never changes, the decree changes by `decree_start`."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    require_write(actor, region_code=team.region_id)
    before = snapshot(team)
    for key, value in fields.items():
        if key not in TEAM_FIELDS:
            raise ValidationError({key: _("Isian ini tidak dapat diubah.")})
        setattr(team, key, value)
    team.full_clean()
    team.save()
    audit_log(actor=actor, action="update", obj=team, before=before, after=snapshot(team))
    return team


@transaction.atomic
def decree_start(*, actor, team: Team, number, date, valid_from=None, valid_until=None, copy_members=True):
    """A new decree: a new membership list, prefilled with the current members of the last one."""
    team = Team.objects.select_for_update().get(pk=team.pk)
    require_write(actor, region_code=team.region_id)
    before = snapshot(team)
    previous = team.current_decree
    decree = Decree(team=team, number=number, date=date, valid_from=valid_from, valid_until=valid_until)
    decree.full_clean()
    decree.save()
    copied = 0
    if copy_members:
        from .selectors import team_members

        for member in team_members(team=team, decree=previous) if previous else team_members(team=team):
            member.pk = None
            member.decree = decree
            member.active_from, member.active_until = valid_from, None
            member.save()
            copied += 1
    team.current_decree = decree
    team.decree_number, team.decree_date = number, date
    team.valid_from, team.valid_until = valid_from, valid_until
    team.full_clean()
    team.save()
    audit_log(
        actor=actor,
        action="new_decree",
        obj=team,
        before=before,
        after=snapshot(team),
        note=_("SK baru %(number)s; %(count)s anggota disalin dari SK sebelumnya.")
        % {"number": number, "count": copied},
    )
    return decree


# --- institutions --------------------------------------------------------------------------------------


@transaction.atomic
def institution_create(*, actor, region, name, kind=Institution.Kind.OPD) -> Institution:
    require_write(actor, region_code=region.code)
    _require_team_level(
        region, _("Instansi dicatat di provinsi atau kabupaten/kota, bukan kecamatan atau desa.")
    )
    institution = Institution(region=region, name=name, kind=kind)
    institution.full_clean()
    institution.save()
    audit_log(actor=actor, action="create", obj=institution, after=snapshot(institution))
    return institution


@transaction.atomic
def institution_update(*, actor, institution, name, kind) -> Institution:
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    require_write(actor, region_code=institution.region_id)
    before = snapshot(institution)
    institution.name, institution.kind = name, kind
    institution.full_clean()
    institution.save()
    audit_log(actor=actor, action="update", obj=institution, before=before, after=snapshot(institution))
    return institution


# --- members -------------------------------------------------------------------------------------------

MEMBER_FIELDS = (
    "name",
    "office",
    "institution",
    "position",
    "phone",
    "email",
    "user",
    "active_from",
    "active_until",
)


def _validate_member_links(member: Member):
    errors = {}
    if member.institution_id and member.institution.region_id != member.team.region_id:
        errors["institution"] = _("Instansi harus dari wilayah tim yang sama.")
    if member.user_id and not code_in_scope(member.user.region_id, member.team.region_id):
        errors["user"] = _("Akun pengguna harus dari wilayah tim ini.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def member_create(*, actor, team: Team, audit=True, **fields) -> Member:
    team = Team.objects.get(pk=team.pk)  # its current decree as it is now
    require_write(actor, region_code=team.region_id)
    unknown = set(fields) - set(MEMBER_FIELDS)
    if unknown:
        raise ValidationError({key: _("Isian tidak dikenal.") for key in unknown})
    member = Member(team=team, decree=team.current_decree, **fields)
    member.full_clean()
    _validate_member_links(member)
    member.save()
    if audit:
        audit_log(actor=actor, action="create", obj=member, after=snapshot(member))
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    member = Member.objects.select_for_update().select_related("team").get(pk=member.pk)
    require_write(actor, region_code=member.team.region_id)
    before = snapshot(member)
    for key, value in fields.items():
        if key not in MEMBER_FIELDS:
            raise ValidationError({key: _("Isian ini tidak dapat diubah.")})
        setattr(member, key, value)
    member.full_clean()
    _validate_member_links(member)
    member.save()
    audit_log(actor=actor, action="update", obj=member, before=before, after=snapshot(member))
    return member


@transaction.atomic
def member_delete(*, actor, member: Member):
    member = Member.objects.select_for_update().select_related("team").get(pk=member.pk)
    require_write(actor, region_code=member.team.region_id)
    if member.follow_ups.exists():
        raise ValidationError(_("Anggota ini penanggung jawab tindak lanjut; ubah penanggung jawabnya dulu."))
    before = snapshot(member)
    audit_log(actor=actor, action="delete", obj=member, before=before)
    member.delete()


@transaction.atomic
def members_import(*, actor, team: Team, rows) -> list[Member]:
    """Create members from validated import rows (see `teams.importer`); one audit event per member."""
    require_write(actor, region_code=team.region_id)
    created = []
    for row in rows:
        institution = None
        if row.institution_name:
            institution = Institution.objects.filter(
                region=team.region, name__iexact=row.institution_name
            ).first()
            if institution is None:
                institution = institution_create(
                    actor=actor, region=team.region, name=row.institution_name, kind=Institution.Kind.OTHER
                )
        member = member_create(
            actor=actor,
            team=team,
            audit=False,
            name=row.name,
            office=row.office,
            institution=institution,
            position=row.position,
            phone=row.phone,
            email=row.email,
            active_from=row.active_from,
            active_until=row.active_until,
        )
        audit_log(actor=actor, action="create", obj=member, after=snapshot(member), note=_("impor"))
        created.append(member)
    return created


# --- meetings ------------------------------------------------------------------------------------------

MEETING_FIELDS = (
    "kind",
    "period",
    "title",
    "start",
    "end",
    "place",
    "online_link",
    "agenda",
    "reminder_offsets",
    "minutes",
)


def _utc(fields):
    """Times are stored in UTC; normalising them here keeps snapshots and payloads comparable."""
    for key in ("start", "end"):
        if fields.get(key) is not None and getattr(fields[key], "tzinfo", None) is not None:
            fields[key] = fields[key].astimezone(UTC)
    return fields


def clean_offsets(offsets):
    if offsets is None:
        return list(settings.KONFLIK_TEAMS_MEETING_REMINDER_OFFSETS)
    if not isinstance(offsets, list | tuple) or len(offsets) > MAX_OFFSETS:
        raise ValidationError(
            {"reminder_offsets": _("Berikan paling banyak %(n)s angka menit.") % {"n": MAX_OFFSETS}}
        )
    cleaned = set()
    for value in offsets:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_OFFSET_MINUTES:
            raise ValidationError(
                {
                    "reminder_offsets": _("Setiap pengingat adalah menit sebelum mulai, 1 sampai %(max)s.")
                    % {"max": MAX_OFFSET_MINUTES}
                }
            )
        cleaned.add(value)
    return sorted(cleaned, reverse=True)


def _validate_invitees(team: Team, *, members=(), institutions=(), teams=()):
    scope = team.region_id
    errors = {}
    if any(not code_in_scope(m.team.region_id, scope) for m in members):
        errors["invited_members"] = _("Anggota yang diundang harus dari tim di wilayah penyelenggara.")
    if any(not code_in_scope(i.region_id, scope) for i in institutions):
        errors["invited_institutions"] = _("Instansi yang diundang harus dari wilayah penyelenggara.")
    if any(t.pk == team.pk or not code_in_scope(t.region_id, scope) for t in teams):
        errors["invited_teams"] = _(
            "Tim yang diundang harus tim lain di bawah wilayah penyelenggara (provinsi mengundang kabupaten/kota)."
        )
    if errors:
        raise ValidationError(errors)


def _invitee_snapshot(meeting):
    rows = meeting.invitations.order_by("id").values_list("member_id", "institution_id", "team_id")
    return sorted((f"member:{m}" if m else f"institution:{i}" if i else f"team:{t}") for m, i, t in rows)


def _set_invitees(meeting, *, members, institutions, teams):
    """Replace the invitee list, keeping the rows (and their attendance) of those still invited."""
    wanted = (
        {("member", m.pk) for m in members}
        | {("institution", i.pk) for i in institutions}
        | {("team", t.pk) for t in teams}
    )
    existing = {}
    for inv in meeting.invitations.all():
        key = (
            ("member", inv.member_id)
            if inv.member_id
            else ("institution", inv.institution_id)
            if inv.institution_id
            else ("team", inv.team_id)
        )
        existing[key] = inv
    for key, inv in existing.items():
        if key not in wanted:
            inv.delete()
    for kind, pk in sorted(wanted - set(existing)):
        Invitation.objects.create(meeting=meeting, **{f"{kind}_id": pk})


def _plan_meeting_reminders(meeting, *, now=None):
    """Cancel the pending reminders of a meeting and plan one per offset still ahead of us."""
    now = now or timezone.now()
    reminders.cancel_pending(obj=meeting, kind=kinds.MEETING_REMINDER)
    if meeting.status != Meeting.Status.SCHEDULED:
        return []
    planned = []
    for offset in meeting.reminder_offsets:
        due = meeting.start - timedelta(minutes=offset)
        if due <= now:
            continue  # an offset already past when the meeting is saved is skipped
        planned.append(
            reminders.schedule(
                kind=kinds.MEETING_REMINDER,
                obj=meeting,
                due_at=due,
                payload={"offset": offset, "start": meeting.start.isoformat()},
            )
        )
    return planned


def _notice(meeting, kind, notice):
    reminders.alert(
        kind=kind,
        obj=meeting,
        dedupe_key=f"meeting:{meeting.pk}:{notice}:{meeting.sequence}",
        payload={"notice": notice, "start": meeting.start.isoformat()},
    )


def _check_meeting(meeting):
    """Field-level messages for the rules the database also enforces (constraints)."""
    errors = {}
    if meeting.start and meeting.end and meeting.end <= meeting.start:
        errors["end"] = _("Waktu selesai harus setelah waktu mulai.")
    if meeting.kind == Meeting.Kind.PERIOD_EVALUATION and not meeting.period:
        errors["period"] = _("Rapat evaluasi periode memerlukan periode (B04, B08 atau B12).")
    if meeting.kind != Meeting.Kind.PERIOD_EVALUATION and meeting.period:
        errors["period"] = _("Periode hanya untuk rapat evaluasi periode.")
    if errors:
        raise ValidationError(errors)
    meeting.full_clean()


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    team: Team,
    invited_members=(),
    invited_institutions=(),
    invited_teams=(),
    **fields,
) -> Meeting:
    require_write(actor, region_code=team.region_id)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise ValidationError({key: _("Isian tidak dikenal.") for key in unknown})
    fields["reminder_offsets"] = clean_offsets(fields.get("reminder_offsets"))
    _utc(fields)
    meeting = Meeting(team=team, created_by=actor if getattr(actor, "pk", None) else None, **fields)
    _check_meeting(meeting)
    _validate_invitees(team, members=invited_members, institutions=invited_institutions, teams=invited_teams)
    meeting.save()
    _set_invitees(meeting, members=invited_members, institutions=invited_institutions, teams=invited_teams)
    after = snapshot(meeting) | {"invitees": _invitee_snapshot(meeting)}
    audit_log(actor=actor, action="create", obj=meeting, after=after)
    _plan_meeting_reminders(meeting)
    if meeting.start > timezone.now():
        _notice(meeting, kinds.MEETING_INVITATION, "invited")
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor,
    meeting: Meeting,
    invited_members=None,
    invited_institutions=None,
    invited_teams=None,
    status=None,
    **fields,
) -> Meeting:
    """Edit a meeting. Moving it re-plans its pending reminders and tells the invitees; a status change
    to `postponed`/`held` stops them, back to `scheduled` re-plans them, `cancelled` is `meeting_cancel`."""
    meeting = Meeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    require_write(actor, allowed=can_manage_team(actor, meeting.team))
    if status == Meeting.Status.CANCELLED:
        raise ValidationError({"status": _("Gunakan tindakan 'Batalkan rapat' untuk membatalkan.")})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("Rapat yang dibatalkan tidak dapat diubah."))
    before = snapshot(meeting) | {"invitees": _invitee_snapshot(meeting)}
    old_start, old_end = meeting.start, meeting.end
    _utc(fields)
    for key, value in fields.items():
        if key not in MEETING_FIELDS:
            raise ValidationError({key: _("Isian ini tidak dapat diubah.")})
        setattr(meeting, key, value)
    if "reminder_offsets" in fields:
        meeting.reminder_offsets = clean_offsets(fields["reminder_offsets"])
    if status is not None:
        meeting.status = status
    moved = meeting.start != old_start or meeting.end != old_end
    if moved or meeting.status != before["status"]:
        meeting.sequence += 1
    _check_meeting(meeting)
    if invited_members is not None or invited_institutions is not None or invited_teams is not None:
        current = list(meeting.invitations.select_related("member__team", "institution", "team"))
        members = (
            invited_members if invited_members is not None else [i.member for i in current if i.member_id]
        )
        institutions = (
            invited_institutions
            if invited_institutions is not None
            else [i.institution for i in current if i.institution_id]
        )
        teams = invited_teams if invited_teams is not None else [i.team for i in current if i.team_id]
        _validate_invitees(meeting.team, members=members, institutions=institutions, teams=teams)
        meeting.save()
        _set_invitees(meeting, members=members, institutions=institutions, teams=teams)
    else:
        meeting.save()
    after = snapshot(meeting) | {"invitees": _invitee_snapshot(meeting)}
    audit_log(actor=actor, action="update", obj=meeting, before=before, after=after)
    if moved or meeting.status != before["status"] or meeting.reminder_offsets != before["reminder_offsets"]:
        _plan_meeting_reminders(meeting)
    if moved and meeting.status == Meeting.Status.SCHEDULED and meeting.start > timezone.now():
        _notice(meeting, kinds.MEETING_INVITATION, "rescheduled")
    return meeting


@transaction.atomic
def meeting_cancel(*, actor, meeting: Meeting, note="") -> Meeting:
    """Cancel: pending reminders are cancelled and the invitees get a cancellation notice."""
    meeting = Meeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    require_write(actor, allowed=can_manage_team(actor, meeting.team))
    if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.HELD):
        raise ValidationError(_("Rapat ini sudah dibatalkan atau sudah terlaksana."))
    before = snapshot(meeting)
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save()
    audit_log(actor=actor, action="cancel", obj=meeting, before=before, after=snapshot(meeting), note=note)
    reminders.cancel_pending(obj=meeting, kind=kinds.MEETING_REMINDER)
    reminders.cancel_pending(obj=meeting, kind=kinds.MEETING_INVITATION)
    if meeting.end > timezone.now():
        _notice(meeting, kinds.MEETING_CANCELLED, "cancelled")
    return meeting


@transaction.atomic
def meeting_record_attendance(*, actor, meeting: Meeting, attendance: dict) -> Meeting:
    """`attendance`: {invitation id: (attendance value, attendee name)}; one audit event for the lot."""
    meeting = Meeting.objects.select_for_update().select_related("team").get(pk=meeting.pk)
    require_write(actor, allowed=can_manage_team(actor, meeting.team))
    invitations = {inv.pk: inv for inv in meeting.invitations.all()}
    before, after = {}, {}
    for pk, (value, name) in attendance.items():
        inv = invitations.get(pk)
        if inv is None:
            raise ValidationError({"attendance": _("Undangan tidak dikenal.")})
        if value not in Invitation.Attendance.values:
            raise ValidationError({"attendance": _("Nilai kehadiran tidak valid.")})
        if (inv.attendance, inv.attendee_name) != (value, name or ""):
            before[f"attendance:{pk}"] = [inv.attendance, inv.attendee_name]
            inv.attendance, inv.attendee_name = value, (name or "")[:200]
            inv.full_clean()
            inv.save(update_fields=["attendance", "attendee_name"])
            after[f"attendance:{pk}"] = [inv.attendance, inv.attendee_name]
    audit_log(actor=actor, action="attendance", obj=meeting, before=before, after=after)
    return meeting


@transaction.atomic
def attachment_add(*, actor, meeting: Meeting, clean) -> MinutesAttachment:
    """`clean`: a `teams.uploads.CleanUpload` (type checked by content, size limited)."""
    meeting = Meeting.objects.select_related("team").get(pk=meeting.pk)
    require_write(actor, allowed=can_manage_team(actor, meeting.team))
    attachment = MinutesAttachment(
        meeting=meeting,
        original_name=clean.original_name,
        content_type=clean.content_type,
        size=len(clean.content),
        uploaded_by=actor,
    )
    attachment.file.save(f"x.{clean.extension}", ContentFile(clean.content), save=False)
    attachment.save()
    audit_log(actor=actor, action="create", obj=attachment, after=snapshot(attachment))
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: MinutesAttachment):
    attachment = MinutesAttachment.objects.select_related("meeting__team").get(pk=attachment.pk)
    require_write(actor, allowed=can_manage_team(actor, attachment.meeting.team))
    audit_log(actor=actor, action="delete", obj=attachment, before=snapshot(attachment))
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- follow-up items -----------------------------------------------------------------------------------

FOLLOWUP_FIELDS = ("description", "owner", "due_date")


def _validate_owner(follow_up):
    if follow_up.owner_id and not code_in_scope(
        follow_up.owner.team.region_id, follow_up.meeting.team.region_id
    ):
        raise ValidationError({"owner": _("Penanggung jawab harus anggota tim di wilayah penyelenggara.")})


def _plan_followup_reminders(follow_up, *, now=None):
    now = now or timezone.now()
    reminders.cancel_pending(obj=follow_up, kind=kinds.FOLLOWUP_DUE)
    reminders.cancel_pending(obj=follow_up, kind=kinds.FOLLOWUP_OVERDUE)
    if follow_up.status != FollowUp.Status.OPEN:
        return []
    before, after = followup_reminder_times(
        follow_up,
        days_before=settings.KONFLIK_TEAMS_FOLLOWUP_REMIND_DAYS_BEFORE,
        days_after=settings.KONFLIK_TEAMS_FOLLOWUP_OVERDUE_DAYS_AFTER,
        hour=settings.KONFLIK_TEAMS_REMINDER_HOUR,
    )
    planned = []
    for kind, times in ((kinds.FOLLOWUP_DUE, before), (kinds.FOLLOWUP_OVERDUE, after)):
        for days, due in times:
            if due > now:
                planned.append(
                    reminders.schedule(
                        kind=kind,
                        obj=follow_up,
                        due_at=due,
                        payload={"days": days, "due_date": follow_up.due_date.isoformat()},
                    )
                )
    return planned


@transaction.atomic
def followup_create(*, actor, meeting: Meeting, description, owner, due_date) -> FollowUp:
    meeting = Meeting.objects.select_related("team").get(pk=meeting.pk)
    require_write(actor, allowed=can_manage_team(actor, meeting.team))
    follow_up = FollowUp(
        meeting=meeting, team_id=meeting.team_id, description=description, owner=owner, due_date=due_date
    )
    follow_up.full_clean()
    _validate_owner(follow_up)
    follow_up.save()
    audit_log(actor=actor, action="create", obj=follow_up, after=snapshot(follow_up))
    _plan_followup_reminders(follow_up)
    return follow_up


@transaction.atomic
def followup_update(*, actor, follow_up: FollowUp, status=None, **fields) -> FollowUp:
    """Edit an item (its team's secretariat), or mark it done or open again (that, or its owner)."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("meeting__team", "owner").get(pk=follow_up.pk)
    )
    if fields or status is None or not owns_follow_up(actor, follow_up):
        require_write(actor, allowed=can_manage_team(actor, follow_up.meeting.team))
    before = snapshot(follow_up)
    for key, value in fields.items():
        if key not in FOLLOWUP_FIELDS:
            raise ValidationError({key: _("Isian ini tidak dapat diubah.")})
        setattr(follow_up, key, value)
    if status is not None and status != follow_up.status:
        if status not in FollowUp.Status.values:
            raise ValidationError({"status": _("Status tidak valid.")})
        follow_up.status = status
        follow_up.done_at = timezone.now() if status == FollowUp.Status.DONE else None
    follow_up.full_clean()
    _validate_owner(follow_up)
    follow_up.save()
    action = "complete" if before["status"] != follow_up.status == FollowUp.Status.DONE else "update"
    audit_log(actor=actor, action=action, obj=follow_up, before=before, after=snapshot(follow_up))
    if follow_up.status != before["status"] or follow_up.due_date.isoformat() != before["due_date"]:
        _plan_followup_reminders(follow_up)
    return follow_up


def followup_complete(*, actor, follow_up):
    return followup_update(actor=actor, follow_up=follow_up, status=FollowUp.Status.DONE)


# --- calendar feed -------------------------------------------------------------------------------------


@transaction.atomic
def calendar_token_rotate(*, user) -> CalendarToken:
    """A new secret for the user's feed URL; the old URL stops working."""
    token, _created = CalendarToken.objects.update_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return token
