"""Writes of the action plans app. Each one: keyword-only arguments, one transaction, `full_clean()`
before `save()`, a scope re-check inside the transaction, and one audit event.

Who may do what (the views check it too, this is the last line):
- secretariats (and admin) write plans, activities and realisations of the teams in their scope;
- only the province secretariat (or admin) accepts or returns a realisation;
- leadership and members write nothing.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from konflik.access import require_write
from konflik.permissions import PROVINCE_ROLES
from konflik.scoping import code_in_scope, user_can_see_region
from konflik.services import audit_log, snapshot

from . import periods
from . import reminders as plan_reminders
from .achievement import achievement_percent
from .models import ACTIVITY_COLUMNS, ActionPlan, Activity, Evidence, Realisation

REALISATION_FIELDS = ("value", "narrative", "obstacles", "next_steps")


def _now(now=None):
    return now or timezone.now()


# --- plans -------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, team, year: int, notes: str = "", audit=True) -> ActionPlan:
    require_write(actor, region_code=team.region_id, message=_("Peran Anda hanya dapat membaca."))
    plan = ActionPlan(team=team, year=year, notes=notes)
    plan.full_clean()
    plan.save()
    if audit:
        audit_log(actor=actor, action="create", obj=plan, after=snapshot(plan))
    plan_reminders.schedule_for_plan(plan)
    return plan


@transaction.atomic
def plan_update(*, actor, plan: ActionPlan, notes: str) -> ActionPlan:
    """Only the notes change after creation: team and year are fixed, approval has its own step."""
    require_write(actor, region_code=plan.team.region_id, message=_("Peran Anda hanya dapat membaca."))
    before = snapshot(plan)
    plan.notes = notes
    plan.full_clean()
    plan.save()
    audit_log(actor=actor, action="update", obj=plan, before=before, after=snapshot(plan))
    return plan


@transaction.atomic
def plan_approve(
    *, actor, plan: ActionPlan, approved_on: datetime.date, approval_reference: str
) -> ActionPlan:
    """Record the approval of the plan (the date and number of the approving document)."""
    require_write(actor, region_code=plan.team.region_id, message=_("Peran Anda hanya dapat membaca."))
    plan = ActionPlan.objects.select_for_update().select_related("team").get(pk=plan.pk)
    if plan.status != ActionPlan.Status.DRAFT:
        raise ValidationError(_("Rencana aksi ini sudah disetujui."), code="invalid_transition")
    errors = {}
    if approved_on is None:
        errors["approved_on"] = _("Tanggal persetujuan wajib diisi.")
    elif approved_on > timezone.localdate():
        errors["approved_on"] = _("Tanggal persetujuan tidak boleh di masa depan.")
    if not (approval_reference or "").strip():
        errors["approval_reference"] = _("Nomor/dasar persetujuan wajib diisi.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(plan)
    plan.status = ActionPlan.Status.APPROVED
    plan.approved_on = approved_on
    plan.approval_reference = approval_reference.strip()
    plan.full_clean()
    plan.save()
    audit_log(actor=actor, action="approve", obj=plan, before=before, after=snapshot(plan))
    return plan


@transaction.atomic
def plan_reopen(*, actor, plan: ActionPlan, reason: str) -> ActionPlan:
    """Take an approved plan back to draft for a revision (its activities become editable again; it is
    approved again afterwards). The reason is kept in the audit trail with the approval it undid."""
    require_write(actor, region_code=plan.team.region_id, message=_("Peran Anda hanya dapat membaca."))
    plan = ActionPlan.objects.select_for_update().select_related("team").get(pk=plan.pk)
    if plan.status != ActionPlan.Status.APPROVED:
        raise ValidationError(_("Rencana aksi ini belum disetujui."), code="invalid_transition")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Alasan revisi wajib diisi.")})
    before = snapshot(plan)
    plan.status = ActionPlan.Status.DRAFT
    plan.approved_on = None
    plan.approval_reference = ""
    plan.full_clean()
    plan.save()
    audit_log(actor=actor, action="reopen", obj=plan, before=before, after=snapshot(plan), note=reason[:1000])
    return plan


@transaction.atomic
def plan_copy(*, actor, source: ActionPlan, year: int | None = None) -> ActionPlan:
    """Start a new draft plan of the same team from an earlier one: its activities and targets are
    copied, realisations are not."""
    year = year or source.year + 1
    # one operation, one audit event: the copy event below carries the new plan's values
    plan = plan_create(actor=actor, team=source.team, year=year, notes=source.notes, audit=False)
    plan.copied_from = source
    plan.save(update_fields=["copied_from"])
    for activity in source.activities.prefetch_related("related_institutions").order_by(
        "strategy", "position", "id"
    ):
        related = list(activity.related_institutions.all())
        copy = Activity(plan=plan, **{f: getattr(activity, f) for f in ACTIVITY_COLUMNS})
        copy.full_clean()
        copy.save()
        copy.related_institutions.set(related)
    audit_log(
        actor=actor,
        action="copy",
        obj=plan,
        after=snapshot(plan),
        note=_("Disalin dari rencana aksi %(year)s (%(n)s kegiatan).")
        % {"year": source.year, "n": plan.activities.count()},
    )
    return plan


@transaction.atomic
def plan_delete(*, actor, plan: ActionPlan) -> None:
    require_write(actor, region_code=plan.team.region_id, message=_("Peran Anda hanya dapat membaca."))
    if plan.status != ActionPlan.Status.DRAFT:
        raise ValidationError(
            _("Rencana aksi yang sudah disetujui tidak dapat dihapus."), code="invalid_transition"
        )
    if Realisation.objects.filter(activity__plan=plan).exists():
        raise ValidationError(_("Rencana aksi yang sudah memiliki realisasi tidak dapat dihapus."))
    before = snapshot(plan)
    audit_log(actor=actor, action="delete", obj=plan, before=before)
    plan_reminders.cancel_for_plan(plan)
    plan.delete()


# --- activities --------------------------------------------------------------------------------------


def _activity_snapshot(activity):
    data = snapshot(activity)
    if activity.pk:
        data["related_institutions"] = sorted(activity.related_institutions.values_list("pk", flat=True))
    return data


def _check_activity_links(activity, related, actor):
    """Institutions and the place must belong to the plan's team region (and be visible to the writer)."""
    team_region = activity.plan.team.region_id
    errors = {}
    inst = activity.responsible_institution
    if inst is not None and not (
        code_in_scope(inst.region_id, team_region) and user_can_see_region(actor, inst.region_id)
    ):
        errors["responsible_institution"] = _("Instansi harus berada di wilayah tim ini.")
    for other in related or []:
        if not (code_in_scope(other.region_id, team_region) and user_can_see_region(actor, other.region_id)):
            errors["related_institutions"] = _("Instansi terkait harus berada di wilayah tim ini.")
    if activity.place_id and not (
        code_in_scope(activity.place_id, team_region) and user_can_see_region(actor, activity.place_id)
    ):
        errors["place"] = _("Lokasi harus berada di wilayah tim ini.")
    if errors:
        raise ValidationError(errors)


def _require_plan_editable(plan):
    if not plan.is_editable:
        raise ValidationError(
            _("Rencana aksi sudah disetujui: kegiatannya tidak dapat diubah."), code="plan_approved"
        )


def _next_position(plan, strategy):
    last = (
        plan.activities.filter(strategy=strategy)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def activity_create(*, actor, plan: ActionPlan, related_institutions=(), audit=True, **fields) -> Activity:
    require_write(actor, region_code=plan.team.region_id, message=_("Peran Anda hanya dapat membaca."))
    plan = ActionPlan.objects.select_for_update().select_related("team").get(pk=plan.pk)
    _require_plan_editable(plan)
    activity = Activity(plan=plan, **{k: v for k, v in fields.items() if k in ACTIVITY_COLUMNS})
    if not activity.position and activity.strategy:
        activity.position = _next_position(plan, activity.strategy)
    _check_activity_links(activity, related_institutions, actor)
    activity.full_clean()
    activity.save()
    activity.related_institutions.set(related_institutions)
    if audit:
        audit_log(actor=actor, action="create", obj=activity, after=_activity_snapshot(activity))
    return activity


def _recompute_achievements(activity):
    for realisation in activity.realisations.all():
        value = achievement_percent(realisation.value, activity.target_for(realisation.period))
        if value != realisation.achievement:
            realisation.achievement = value
            realisation.save(update_fields=["achievement", "updated"])


@transaction.atomic
def activity_update(*, actor, activity: Activity, related_institutions=None, **fields) -> Activity:
    require_write(
        actor, region_code=activity.plan.team.region_id, message=_("Peran Anda hanya dapat membaca.")
    )
    activity = Activity.objects.select_for_update().select_related("plan__team").get(pk=activity.pk)
    _require_plan_editable(activity.plan)
    before = _activity_snapshot(activity)
    for key, value in fields.items():
        if key in ACTIVITY_COLUMNS:
            setattr(activity, key, value)
    related = (
        list(activity.related_institutions.all()) if related_institutions is None else related_institutions
    )
    _check_activity_links(activity, related, actor)
    activity.full_clean()
    activity.save()
    activity.related_institutions.set(related)
    _recompute_achievements(activity)
    audit_log(actor=actor, action="update", obj=activity, before=before, after=_activity_snapshot(activity))
    return activity


@transaction.atomic
def activity_delete(*, actor, activity: Activity) -> None:
    require_write(
        actor, region_code=activity.plan.team.region_id, message=_("Peran Anda hanya dapat membaca.")
    )
    _require_plan_editable(activity.plan)
    if activity.realisations.exists():
        raise ValidationError(_("Kegiatan yang sudah memiliki realisasi tidak dapat dihapus."))
    audit_log(actor=actor, action="delete", obj=activity, before=_activity_snapshot(activity))
    activity.delete()


# --- realisations ------------------------------------------------------------------------------------


def _lock_realisation(realisation):
    return (
        Realisation.objects.select_for_update().select_related("activity__plan__team").get(pk=realisation.pk)
    )


@transaction.atomic
def realisation_create(*, actor, activity: Activity, period: str, now=None, **fields) -> Realisation:
    require_write(
        actor, region_code=activity.plan.team.region_id, message=_("Peran Anda hanya dapat membaca.")
    )
    plan = activity.plan
    if period in periods.Period.values and not periods.period_started(plan.year, period, now=_now(now)):
        raise ValidationError({"period": _("Periode ini belum dimulai.")})
    realisation = Realisation(activity=activity, period=period)
    for key in REALISATION_FIELDS:
        if key in fields:
            setattr(realisation, key, fields[key])
    if realisation.period in periods.Period.values:
        realisation.achievement = achievement_percent(realisation.value, activity.target_for(period))
    realisation.full_clean()
    realisation.save()
    audit_log(actor=actor, action="create", obj=realisation, after=snapshot(realisation))
    return realisation


@transaction.atomic
def realisation_update(*, actor, realisation: Realisation, **fields) -> Realisation:
    require_write(
        actor,
        region_code=realisation.activity.plan.team.region_id,
        message=_("Peran Anda hanya dapat membaca."),
    )
    realisation = _lock_realisation(realisation)
    if not realisation.is_editable:
        raise ValidationError(
            _("Realisasi yang sudah dikirim atau diterima tidak dapat diubah."), code="not_editable"
        )
    before = snapshot(realisation)
    for key in REALISATION_FIELDS:
        if key in fields:
            setattr(realisation, key, fields[key])
    realisation.achievement = achievement_percent(
        realisation.value, realisation.activity.target_for(realisation.period)
    )
    realisation.full_clean()
    realisation.save()
    audit_log(actor=actor, action="update", obj=realisation, before=before, after=snapshot(realisation))
    return realisation


@transaction.atomic
def realisation_submit(*, actor, realisation: Realisation, now=None) -> Realisation:
    """draft → submitted, or returned → submitted again. The first submission is stamped on time or
    late against the period deadline."""
    require_write(
        actor,
        region_code=realisation.activity.plan.team.region_id,
        message=_("Peran Anda hanya dapat membaca."),
    )
    realisation = _lock_realisation(realisation)
    if realisation.status not in Realisation.EDITABLE:
        raise ValidationError(
            _("Hanya realisasi berstatus draf atau dikembalikan yang dapat dikirim."),
            code="invalid_transition",
        )
    if realisation.value is None:
        raise ValidationError({"value": _("Isi nilai realisasi sebelum mengirim.")})
    now = _now(now)
    before = snapshot(realisation)
    realisation.status = Realisation.Status.SUBMITTED
    realisation.submitted_at = now
    realisation.submitted_by = actor
    if realisation.first_submitted_at is None:
        realisation.first_submitted_at = now
        realisation.on_time = periods.is_on_time(realisation.activity.plan.year, realisation.period, now)
    realisation.full_clean()
    realisation.save()
    action = "resubmit" if before["status"] == Realisation.Status.RETURNED else "submit"
    audit_log(actor=actor, action=action, obj=realisation, before=before, after=snapshot(realisation))
    return realisation


@transaction.atomic
def realisation_accept(*, actor, realisation: Realisation, now=None) -> Realisation:
    require_write(
        actor,
        region_code=realisation.activity.plan.team.region_id,
        roles=PROVINCE_ROLES,
        message=_("Hanya sekretariat provinsi yang dapat menerima atau mengembalikan realisasi."),
    )
    realisation = _lock_realisation(realisation)
    if realisation.status != Realisation.Status.SUBMITTED:
        raise ValidationError(
            _("Hanya realisasi yang sudah dikirim yang dapat diterima."), code="invalid_transition"
        )
    before = snapshot(realisation)
    realisation.status = Realisation.Status.ACCEPTED
    realisation.reviewed_at = _now(now)
    realisation.reviewed_by = actor
    realisation.review_note = ""
    realisation.save()
    audit_log(actor=actor, action="accept", obj=realisation, before=before, after=snapshot(realisation))
    return realisation


@transaction.atomic
def realisation_return(*, actor, realisation: Realisation, note: str, now=None) -> Realisation:
    require_write(
        actor,
        region_code=realisation.activity.plan.team.region_id,
        roles=PROVINCE_ROLES,
        message=_("Hanya sekretariat provinsi yang dapat menerima atau mengembalikan realisasi."),
    )
    realisation = _lock_realisation(realisation)
    if realisation.status != Realisation.Status.SUBMITTED:
        raise ValidationError(
            _("Hanya realisasi yang sudah dikirim yang dapat dikembalikan."), code="invalid_transition"
        )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Catatan pengembalian wajib diisi.")})
    before = snapshot(realisation)
    realisation.status = Realisation.Status.RETURNED
    realisation.reviewed_at = _now(now)
    realisation.reviewed_by = actor
    realisation.review_note = note
    realisation.full_clean()
    realisation.save()
    audit_log(
        actor=actor, action="return", obj=realisation, before=before, after=snapshot(realisation), note=note
    )
    return realisation


# --- evidence ----------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor, realisation: Realisation, files) -> list[Evidence]:
    """Attach checked files (`uploads.check_uploads`) to an editable realisation."""
    require_write(
        actor,
        region_code=realisation.activity.plan.team.region_id,
        message=_("Peran Anda hanya dapat membaca."),
    )
    realisation = _lock_realisation(realisation)
    if not realisation.is_editable:
        raise ValidationError(
            _("Data dukung hanya dapat ditambahkan selama realisasi berstatus draf atau dikembalikan."),
            code="not_editable",
        )
    created, stored = [], []
    try:
        for checked in files:
            evidence = Evidence(
                realisation=realisation,
                original_name=checked.original_name,
                content_type=checked.content_type,
                size=len(checked.content),
                uploaded_by=actor,
            )
            evidence.file.save(checked.generated_name, ContentFile(checked.content), save=False)
            stored.append((evidence.file.storage, evidence.file.name))
            evidence.save()
            audit_log(actor=actor, action="create", obj=evidence, after=snapshot(evidence))
            created.append(evidence)
    except Exception:
        for storage, name in stored:  # nothing written may stay behind a failed upload
            storage.delete(name)
        raise
    return created


@transaction.atomic
def evidence_delete(*, actor, evidence: Evidence) -> None:
    realisation = evidence.realisation
    require_write(
        actor,
        region_code=realisation.activity.plan.team.region_id,
        message=_("Peran Anda hanya dapat membaca."),
    )
    if not realisation.is_editable:
        raise ValidationError(
            _("Data dukung hanya dapat dihapus selama realisasi berstatus draf atau dikembalikan."),
            code="not_editable",
        )
    audit_log(actor=actor, action="delete", obj=evidence, before=snapshot(evidence))
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def plan_import_activities(*, actor, plan: ActionPlan, rows) -> list[Activity]:
    """Create the activities read from a workbook (`excel.parse_activities`), all or none."""
    require_write(actor, region_code=plan.team.region_id, message=_("Peran Anda hanya dapat membaca."))
    created = [
        activity_create(actor=actor, plan=plan, related_institutions=row.related_institutions, **row.fields)
        for row in rows
    ]
    audit_log(
        actor=actor,
        action="import",
        obj=plan,
        note=_("%(n)s kegiatan diimpor dari Excel.") % {"n": len(created)},
    )
    return created
