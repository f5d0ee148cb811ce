"""Writes of the incidents app. Each service: keyword-only arguments, one transaction, scope and role
re-checked inside it, `full_clean()` before `save()`, one audit event per change, reminders and alerts
planned in the same transaction.

Workflow of a report:

    draft ──submit──▶ submitted ──verify──▶ verified ──close──▶ closed
      ▲                  │                     │
      │               return (note)         add update (perkembangan)
      │                  ▼
      └──(edit)──── returned ──resubmit──▶ submitted
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard import rollups
from konflik.access import require_in_scope, require_write
from konflik.models import Region
from konflik.permissions import PROVINCE_ROLES
from konflik.scoping import code_in_scope, user_can_see_region
from konflik.services import audit_log, snapshot

from . import early_warning, uploads
from .models import (
    Attachment,
    ConflictPotential,
    ConflictStatus,
    ConflictStatusExtension,
    Incident,
    IncidentSequence,
    IncidentUpdate,
)

# What a secretariat may write on a report (everything else is set by the workflow).
INCIDENT_FIELDS = (
    "district",
    "village",
    "place",
    "latitude",
    "longitude",
    "occurred_on",
    "date_precision",
    "reported_at",
    "title",
    "source_of_conflict",
    "snpk_issue",
    "parties",
    "people_involved",
    "deaths",
    "injured",
    "displaced",
    "buildings_damaged",
    "estimated_loss",
    "chronology",
    "handling",
    "handled_by",
    "information_source",
    "stage",
)
POTENTIAL_FIELDS = (
    "place",
    "latitude",
    "longitude",
    "title",
    "source_of_conflict",
    "description",
    "indicators",
    "likelihood",
    "impact",
    "recommended_actions",
    "owner",
    "next_review_on",
    "status",
)
STATUS_FIELDS = (
    "decree_number",
    "decree_date",
    "declared_by",
    "dprd_consultation_on",
    "start_date",
    "end_date",
    "notes",
)


class TransitionError(ValidationError):
    """A workflow step that the report's current status does not allow."""


# --- shared checks ----------------------------------------------------------------------------------------


def _assign(obj, data, allowed):
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("Isian ini tidak dapat diubah.") for name in sorted(unknown)})
    for name, value in data.items():
        setattr(obj, name, value)


def _build_search_text(incident):
    parts = [incident.title or "", incident.chronology or "", " ".join(incident.party_names())]
    return "\n".join(parts)


def _locked(model, obj):
    """Re-read `obj` under a row lock: concurrent transitions on one row run one after the other."""
    return model.objects.select_for_update().get(pk=obj.pk)


# --- incident numbers -------------------------------------------------------------------------------------


def allocate_number(*, region_code: str, year: int) -> tuple[int, str]:
    """The next number of a regency in a year: `61.71/2026/0007`.

    The counter row is incremented with an UPDATE, which holds its row lock until the caller's
    transaction ends, so two filings at once get different numbers; the unique constraint on
    (region, year, sequence) is the backstop.
    """
    IncidentSequence.objects.get_or_create(region_id=region_code, year=year)
    IncidentSequence.objects.filter(region_id=region_code, year=year).update(last_number=F("last_number") + 1)
    sequence = IncidentSequence.objects.filter(region_id=region_code, year=year).values_list(
        "last_number", flat=True
    )[0]
    return sequence, f"{region_code}/{year}/{sequence:04d}"


# --- incidents --------------------------------------------------------------------------------------------


def _region_for_create(actor, region):
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
        if region is None:
            raise ValidationError({"region": _("Wilayah tidak dikenal.")})
    if region is None:
        raise ValidationError({"region": _("Isian ini wajib diisi.")})
    if not user_can_see_region(actor, region.code):
        # The region is the user's choice in the form being filed: a field error there, not a 404.
        raise ValidationError({"region": _("Wilayah ini di luar wilayah kerja Anda.")})
    if not region.is_regency_level:
        raise ValidationError({"region": _("Pilih kabupaten/kota.")})
    return region


def _clean_files(files):
    try:
        return uploads.clean_uploads(files)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages})


def _save_files(*, incident, actor, files, update=None):
    """Store already validated files (`uploads.CleanFile`) as attachments, each audited."""
    created = []
    for clean in files:
        name = uploads.store(clean)
        attachment = Attachment(
            incident=incident,
            update=update,
            original_name=clean.original_name,
            content_type=clean.content_type,
            size=len(clean.content),
            uploaded_by=actor,
        )
        attachment.file.name = name
        attachment.save()
        audit_log(actor=actor, action="create", obj=attachment, after=snapshot(attachment))
        created.append(attachment)
    return created


@transaction.atomic
def incident_create(*, actor, region, data: dict, files=()) -> Incident:
    """File a new report (status draft) in a regency within the actor's scope, with optional files."""
    require_write(actor)
    region = _region_for_create(actor, region)
    cleaned_files = _clean_files(files)
    incident = Incident(region=region, created_by=actor)
    _assign(incident, data, INCIDENT_FIELDS)
    if not incident.reported_at:
        incident.reported_at = timezone.now()
    incident.year = timezone.localdate(incident.reported_at).year
    # Validate before taking a number, so that a refused form does not burn one.
    incident.number, incident.sequence = "-", 0
    incident.full_clean(exclude=["number", "sequence"])
    incident.sequence, incident.number = allocate_number(region_code=region.code, year=incident.year)
    incident.search_text = _build_search_text(incident)
    incident.save()
    rollups.record(before=None, after=rollups.facts(incident))
    audit_log(actor=actor, action="create", obj=incident, after=snapshot(incident, fields=_audited()))
    _save_files(incident=incident, actor=actor, files=cleaned_files)
    return incident


def _audited():
    return set(INCIDENT_FIELDS) | {
        "status",
        "region",
        "number",
        "verified_by",
        "verified_at",
        "return_note",
        "resolved_on",
    }


@transaction.atomic
def incident_edit(*, incident, actor, data: dict, files=()) -> Incident:
    """Edit a draft or returned report. `region` cannot change after creation."""
    require_write(actor)
    incident = _locked(Incident, incident)
    require_in_scope(actor, incident.region_id)
    if "region" in data:
        if getattr(data["region"], "code", data["region"]) != incident.region_id:
            raise ValidationError({"region": _("Kabupaten/kota laporan tidak dapat diubah setelah dibuat.")})
        data = {k: v for k, v in data.items() if k != "region"}
    if not incident.is_editable:
        raise TransitionError(
            _("Laporan berstatus %(status)s tidak dapat diubah.") % {"status": incident.get_status_display()}
        )
    cleaned_files = _clean_files(files)
    before = snapshot(incident, fields=_audited())
    counted = rollups.facts(incident)
    _assign(incident, data, INCIDENT_FIELDS)
    incident.full_clean()
    incident.search_text = _build_search_text(incident)
    incident.save()
    rollups.record(before=counted, after=rollups.facts(incident))
    audit_log(
        actor=actor, action="update", obj=incident, before=before, after=snapshot(incident, fields=_audited())
    )
    _save_files(incident=incident, actor=actor, files=cleaned_files)
    return incident


@transaction.atomic
def incident_delete(*, incident, actor) -> None:
    """Discard a draft that was never sent to the province (a sent report is never removed)."""
    require_write(actor)
    incident = _locked(Incident, incident)
    require_in_scope(actor, incident.region_id)
    if incident.status != Incident.Status.DRAFT or incident.submitted_at is not None:
        raise TransitionError(_("Hanya draf yang belum pernah diajukan yang dapat dihapus."))
    before = snapshot(incident, fields=_audited())
    counted = rollups.facts(incident)
    for attachment in incident.attachments.all():
        attachment.file.delete(save=False)
    audit_log(actor=actor, action="delete", obj=incident, before=before)
    incident.delete()
    rollups.record(before=counted, after=None)


@transaction.atomic
def incident_add_attachments(*, incident, actor, files, update=None) -> list[Attachment]:
    """Attach files to an editable report (or, with `update`, to one of its updates)."""
    require_write(actor)
    incident = _locked(Incident, incident)
    require_in_scope(actor, incident.region_id)
    if update is None and not incident.is_editable:
        raise TransitionError(
            _("Lampiran baru pada laporan yang sudah diajukan ditambahkan melalui perkembangan.")
        )
    cleaned = _clean_files(files)
    if not cleaned:
        raise ValidationError({"files": _("Pilih sekurang-kurangnya satu berkas.")})
    return _save_files(incident=incident, actor=actor, files=cleaned, update=update)


def _transition(incident, *, actor, allowed_from, to, action, note="", **stamps):
    incident = _locked(Incident, incident)
    require_in_scope(actor, incident.region_id)
    if incident.status not in allowed_from:
        raise TransitionError(
            _("Laporan berstatus %(status)s tidak dapat %(action)s.")
            % {"status": incident.get_status_display(), "action": ACTION_LABELS[action]}
        )
    before = snapshot(incident, fields=_audited())
    counted = rollups.facts(incident)
    incident.status = to
    for name, value in stamps.items():
        setattr(incident, name, value)
    incident.full_clean()
    incident.save()
    rollups.record(before=counted, after=rollups.facts(incident))
    audit_log(
        actor=actor,
        action=action,
        obj=incident,
        before=before,
        after=snapshot(incident, fields=_audited()),
        note=note,
    )
    return incident


ACTION_LABELS = {
    "submit": gettext_lazy("diajukan"),
    "resubmit": gettext_lazy("diajukan kembali"),
    "verify": gettext_lazy("diverifikasi"),
    "return": gettext_lazy("dikembalikan"),
    "close": gettext_lazy("ditutup"),
}


@transaction.atomic
def incident_submit(*, incident, actor) -> Incident:
    """Send a draft (or a corrected returned report) to the province; raises the signals it meets."""
    require_write(actor)
    action = "resubmit" if incident.status == Incident.Status.RETURNED else "submit"
    incident = _transition(
        incident,
        actor=actor,
        allowed_from=(Incident.Status.DRAFT, Incident.Status.RETURNED),
        to=Incident.Status.SUBMITTED,
        action=action,
        submitted_at=timezone.now(),
    )
    early_warning.on_incident_submitted(incident)
    return incident


@transaction.atomic
def incident_verify(*, incident, actor) -> Incident:
    require_write(
        actor, roles=PROVINCE_ROLES, message=_("Hanya sekretariat provinsi yang dapat melakukan ini.")
    )
    return _transition(
        incident,
        actor=actor,
        allowed_from=(Incident.Status.SUBMITTED,),
        to=Incident.Status.VERIFIED,
        action="verify",
        verified_by=actor,
        verified_at=timezone.now(),
        return_note="",
    )


@transaction.atomic
def incident_return(*, incident, actor, note: str) -> Incident:
    require_write(
        actor, roles=PROVINCE_ROLES, message=_("Hanya sekretariat provinsi yang dapat melakukan ini.")
    )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Tuliskan catatan untuk sekretariat kabupaten/kota.")})
    if len(note) > 5000:
        raise ValidationError({"note": _("Catatan paling panjang 5000 karakter.")})
    return _transition(
        incident,
        actor=actor,
        allowed_from=(Incident.Status.SUBMITTED,),
        to=Incident.Status.RETURNED,
        action="return",
        note=note,
        return_note=note,
    )


@transaction.atomic
def incident_close(*, incident, actor, resolved_on, note: str = "") -> Incident:
    """Close a verified report as resolved, with its resolution date."""
    require_write(
        actor, roles=PROVINCE_ROLES, message=_("Hanya sekretariat provinsi yang dapat melakukan ini.")
    )
    incident = _locked(Incident, incident)
    if incident.status == Incident.Status.VERIFIED:
        if resolved_on is None:
            raise ValidationError({"resolved_on": [_("Isi tanggal penyelesaian.")]})
        if resolved_on > timezone.localdate():
            raise ValidationError({"resolved_on": [_("Tanggal tidak boleh di masa depan.")]})
        if resolved_on < incident.occurred_on:
            raise ValidationError(
                {"resolved_on": [_("Tanggal penyelesaian tidak boleh sebelum tanggal kejadian.")]}
            )
    return _transition(
        incident,
        actor=actor,
        allowed_from=(Incident.Status.VERIFIED,),
        to=Incident.Status.CLOSED,
        action="close",
        note=(note or "").strip(),
        resolved_on=resolved_on,
        stage=Incident.Stage.RESOLVED,
    )


@transaction.atomic
def incident_add_update(*, incident, actor, data: dict, files=()) -> IncidentUpdate:
    """Perkembangan on a verified report: recorded as its own row; revised figures and stage are applied
    to the report with an audit event naming them."""
    require_write(actor)
    incident = _locked(Incident, incident)
    require_in_scope(actor, incident.region_id)
    if not incident.accepts_updates:
        raise TransitionError(_("Perkembangan hanya dapat ditambahkan pada laporan yang sudah diverifikasi."))
    cleaned_files = _clean_files(files)
    allowed = ("occurred_on", "description", "stage", *IncidentUpdate.FIGURES)
    update = IncidentUpdate(incident=incident, created_by=actor)
    _assign(update, data, allowed)
    update.full_clean()
    update.save()
    audit_log(actor=actor, action="create", obj=update, after=snapshot(update))

    revised = {
        name: getattr(update, name) for name in IncidentUpdate.FIGURES if getattr(update, name) is not None
    }
    if update.stage:
        revised["stage"] = update.stage
    revised = {name: value for name, value in revised.items() if getattr(incident, name) != value}
    if revised:
        before = snapshot(incident, fields=_audited())
        counted = rollups.facts(incident)
        for name, value in revised.items():
            setattr(incident, name, value)
        incident.full_clean()
        incident.save()
        rollups.record(before=counted, after=rollups.facts(incident))
        audit_log(
            actor=actor,
            action="update",
            obj=incident,
            before=before,
            after=snapshot(incident, fields=_audited()),
            note=_("Perkembangan %(date)s") % {"date": update.occurred_on.isoformat()},
        )
    _save_files(incident=incident, actor=actor, files=cleaned_files, update=update)
    if revised.get("deaths"):
        early_warning.on_incident_submitted(incident)
    return update


# --- early-warning records --------------------------------------------------------------------------------


@transaction.atomic
def potential_create(*, actor, region, data: dict) -> ConflictPotential:
    require_write(actor)
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
    if region is None:
        raise ValidationError({"region": _("Wilayah tidak dikenal.")})
    require_in_scope(actor, region.code)
    potential = ConflictPotential(region=region, created_by=actor)
    _assign(potential, data, POTENTIAL_FIELDS)
    potential.full_clean()
    potential.save()
    audit_log(actor=actor, action="create", obj=potential, after=snapshot(potential))
    early_warning.plan_review(potential)
    early_warning.on_potential_saved(potential)
    return potential


@transaction.atomic
def potential_edit(*, potential, actor, data: dict) -> ConflictPotential:
    require_write(actor)
    potential = _locked(ConflictPotential, potential)
    require_in_scope(actor, potential.region_id)
    if "region" in data:
        if getattr(data["region"], "code", data["region"]) != potential.region_id:
            raise ValidationError({"region": _("Wilayah tidak dapat diubah setelah dibuat.")})
        data = {k: v for k, v in data.items() if k != "region"}
    before = snapshot(potential)
    _assign(potential, data, POTENTIAL_FIELDS)
    potential.full_clean()
    potential.save()
    audit_log(actor=actor, action="update", obj=potential, before=before, after=snapshot(potential))
    early_warning.plan_review(potential)
    early_warning.on_potential_saved(potential)
    return potential


# --- Status Keadaan Konflik -------------------------------------------------------------------------------


def _status_snapshot(status):
    result = snapshot(status)
    result["incidents"] = sorted(status.incidents.values_list("pk", flat=True)) if status.pk else []
    return result


def _check_linked_incidents(actor, status, incidents):
    """Linked reports must be visible to the actor and lie in the status's region."""
    ids = [i.pk if hasattr(i, "pk") else int(i) for i in incidents]
    found = list(Incident.objects.visible_to(actor).filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationError({"incidents": _("Ada laporan kejadian yang tidak dikenal.")})
    for incident in found:
        if not code_in_scope(incident.region_id, status.region_id):
            raise ValidationError(
                {
                    "incidents": _("Laporan %(number)s berada di luar wilayah status ini.")
                    % {"number": incident.number}
                }
            )
    return found


@transaction.atomic
def status_create(*, actor, scale, region, data: dict, incidents=()) -> ConflictStatus:
    require_write(actor)
    if isinstance(region, str):
        region = Region.objects.filter(code=region).first()
    if region is None:
        raise ValidationError({"region": _("Wilayah tidak dikenal.")})
    require_in_scope(actor, region.code)
    status = ConflictStatus(scale=scale, region=region, created_by=actor)
    _assign(status, data, STATUS_FIELDS)
    status.original_end_date = status.end_date
    status.full_clean()
    linked = _check_linked_incidents(actor, status, incidents)
    status.save()
    status.incidents.set(linked)
    audit_log(actor=actor, action="create", obj=status, after=_status_snapshot(status))
    early_warning.plan_status_expiry(status)
    return status


@transaction.atomic
def status_edit(*, status, actor, data: dict, incidents=None) -> ConflictStatus:
    require_write(actor)
    status = _locked(ConflictStatus, status)
    require_in_scope(actor, status.region_id)
    if status.revoked_on:
        raise TransitionError(_("Status yang sudah dicabut tidak dapat diubah."))
    before = _status_snapshot(status)
    extended = status.extensions.exists()
    if extended and "end_date" in data and data["end_date"] != status.end_date:
        raise ValidationError(
            {"end_date": _("Tanggal berakhir status yang diperpanjang diubah melalui perpanjangan.")}
        )
    _assign(status, data, STATUS_FIELDS)
    if not extended:
        status.original_end_date = status.end_date
    status.full_clean()
    if incidents is not None:
        status.incidents.set(_check_linked_incidents(actor, status, incidents))
    status.save()
    audit_log(actor=actor, action="update", obj=status, before=before, after=_status_snapshot(status))
    early_warning.plan_status_expiry(status)
    return status


@transaction.atomic
def status_extend(*, status, actor, decree_number: str, decree_date) -> ConflictStatusExtension:
    """Extend by `KONFLIK_INCIDENT_SKK_EXTENSION_DAYS` from the current end, at most
    `KONFLIK_INCIDENT_SKK_MAX_EXTENSIONS` times, while the status has not ended or been revoked."""
    require_write(actor)
    status = _locked(ConflictStatus, status)
    require_in_scope(actor, status.region_id)
    errors = {}
    if not (decree_number or "").strip():
        errors["decree_number"] = [_("Isi nomor keputusan perpanjangan.")]
    if decree_date is None:
        errors["decree_date"] = [_("Isi tanggal keputusan perpanjangan.")]
    elif decree_date > timezone.localdate():
        errors["decree_date"] = [_("Tanggal tidak boleh di masa depan.")]
    if errors:
        raise ValidationError(errors)
    if status.revoked_on:
        raise TransitionError(_("Status yang sudah dicabut tidak dapat diperpanjang."))
    if status.end_date < timezone.localdate():
        raise TransitionError(_("Status yang sudah berakhir tidak dapat diperpanjang."))
    if status.extensions.count() >= settings.KONFLIK_INCIDENT_SKK_MAX_EXTENSIONS:
        raise TransitionError(
            _("Status ini sudah diperpanjang %(n)s kali (batas).")
            % {"n": settings.KONFLIK_INCIDENT_SKK_MAX_EXTENSIONS}
        )
    before = _status_snapshot(status)
    new_end = status.end_date + datetime.timedelta(days=settings.KONFLIK_INCIDENT_SKK_EXTENSION_DAYS)
    extension = ConflictStatusExtension.objects.create(
        status=status,
        decree_number=decree_number.strip(),
        decree_date=decree_date,
        previous_end_date=status.end_date,
        new_end_date=new_end,
        created_by=actor,
    )
    status.end_date = new_end
    status.save(update_fields=["end_date", "updated"])
    audit_log(
        actor=actor,
        action="extend",
        obj=status,
        before=before,
        after=_status_snapshot(status),
        note=decree_number,
    )
    early_warning.plan_status_expiry(status)
    return extension


@transaction.atomic
def status_revoke(*, status, actor, revoked_on, decree_number: str = "", note: str = "") -> ConflictStatus:
    require_write(actor)
    status = _locked(ConflictStatus, status)
    require_in_scope(actor, status.region_id)
    if status.revoked_on:
        raise TransitionError(_("Status ini sudah dicabut."))
    if revoked_on is None:
        raise ValidationError({"revoked_on": [_("Isi tanggal pencabutan.")]})
    if revoked_on > timezone.localdate():
        raise ValidationError({"revoked_on": [_("Tanggal tidak boleh di masa depan.")]})
    if revoked_on < status.start_date:
        raise ValidationError(
            {"revoked_on": [_("Tanggal pencabutan tidak boleh sebelum status mulai berlaku.")]}
        )
    before = _status_snapshot(status)
    status.revoked_on = revoked_on
    status.revocation_decree_number = (decree_number or "").strip()
    status.revocation_note = (note or "").strip()
    status.save(update_fields=["revoked_on", "revocation_decree_number", "revocation_note", "updated"])
    audit_log(
        actor=actor, action="revoke", obj=status, before=before, after=_status_snapshot(status), note=note
    )
    early_warning.cancel_status_expiry(status)
    return status
