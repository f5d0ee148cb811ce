"""Rencana Aksi: one action plan per team and year, its activities under the three strategies of
UU 7/2012, and one realisation per activity and reporting period (B04/B08/B12) with evidence.

Achievement rule (stored on the realisation by the services, see `achievement.py`):

- the target of a period is the activity's `target_b04`/`target_b08`/`target_b12`;
- a realisation's achievement is value ÷ target × 100, rounded half-up to two decimals, not capped
  (over-achievement is shown as it is);
- with no target for the period (empty or zero) there is no achievement (empty): the activity is not
  planned for that period and is left out of every average;
- averages (per strategy, per plan, per regency) take each activity that has a target in the period,
  count what was *reported to the province* (realisations submitted or accepted), capped at 100 so an
  over-achieved activity cannot hide a missed one, and count 0 for an activity with no reported
  realisation (a missing report is no achievement).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from konflik.models import Region, StoredFile, TimeStampedModel, stored_file_path
from konflik.scoping import ScopedManager, ScopedQuerySet

from . import uploads
from .periods import Period

NOT_NEGATIVE = MinValueValidator(0)


class Strategy(models.TextChoices):
    """The three parts of conflict handling (UU 7/2012), the groups of every plan."""

    PREVENTION = "prevention", _("Pencegahan konflik")
    STOPPING = "stopping", _("Penghentian konflik")
    RECOVERY = "recovery", _("Pemulihan pascakonflik")


class SubType(models.TextChoices):
    """The sub-types of each strategy (UU 7/2012); the value starts with its strategy's value."""

    PREVENTION_PEACE = "prevention_peace", _("Memelihara kondisi damai")
    PREVENTION_DISPUTE_RESOLUTION = (
        "prevention_dispute_resolution",
        _("Mengembangkan sistem penyelesaian perselisihan secara damai"),
    )
    PREVENTION_DAMPING = "prevention_damping", _("Meredam potensi konflik")
    PREVENTION_EARLY_WARNING = "prevention_early_warning", _("Membangun sistem peringatan dini")
    STOPPING_VIOLENCE = "stopping_violence", _("Penghentian kekerasan fisik")
    STOPPING_CONFLICT_STATUS = "stopping_conflict_status", _("Penetapan Status Keadaan Konflik")
    STOPPING_RESCUE = "stopping_rescue", _("Tindakan darurat penyelamatan dan pelindungan korban")
    STOPPING_MILITARY = "stopping_military", _("Bantuan penggunaan dan pengerahan kekuatan TNI")
    RECOVERY_RECONCILIATION = "recovery_reconciliation", _("Rekonsiliasi")
    RECOVERY_REHABILITATION = "recovery_rehabilitation", _("Rehabilitasi")
    RECOVERY_RECONSTRUCTION = "recovery_reconstruction", _("Rekonstruksi")

    @classmethod
    def for_strategy(cls, strategy):
        return [c for c in cls if c.value.startswith(f"{strategy}_")]


class FundingSource(models.TextChoices):
    APBD = "apbd", _("APBD")
    APBN = "apbn", _("APBN")
    OTHER = "other", _("Lainnya")


class ActionPlan(TimeStampedModel):
    """The Rencana Aksi Terpadu of one team for one year: drafted, then approved (with the date and
    reference of the approving document)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        APPROVED = "approved", _("Disetujui")

    team = models.ForeignKey(
        "teams.Team", verbose_name=_("tim terpadu"), on_delete=models.PROTECT, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("tanggal persetujuan"), null=True, blank=True)
    approval_reference = models.CharField(_("nomor/dasar persetujuan"), max_length=200, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("disalin dari"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_field = "team__region"

    class Meta:
        ordering = ["-year", "team__region"]
        verbose_name = _("rencana aksi")
        verbose_name_plural = _("rencana aksi")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                name="actionplan_one_per_team_year",
                violation_error_message=_("Tim ini sudah memiliki rencana aksi untuk tahun tersebut."),
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="actionplan_year_range"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False),
                name="actionplan_approved_has_date",
            ),
        ]

    def __str__(self):
        return f"Rencana Aksi {self.year} · {self.team}"

    @property
    def is_editable(self):
        """Activities may be added, changed and imported while the plan is a draft."""
        return self.status == self.Status.DRAFT


class ActivityQuerySet(ScopedQuerySet):
    def with_plan(self):
        return self.select_related("plan__team__region", "responsible_institution", "place")


class Activity(TimeStampedModel):
    """One row of the plan matrix: what is done under which strategy, with a target per period."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("rencana aksi"), on_delete=models.CASCADE, related_name="activities"
    )
    position = models.PositiveIntegerField(_("nomor urut"), default=0)
    strategy = models.CharField(_("strategi"), max_length=12, choices=Strategy.choices)
    sub_type = models.CharField(_("sub-lingkup"), max_length=40, choices=SubType.choices)
    title = models.CharField(_("kegiatan"), max_length=300)
    description = models.TextField(_("uraian"), blank=True)
    indicator = models.CharField(_("ukuran keberhasilan"), max_length=300, blank=True)
    unit = models.CharField(_("satuan"), max_length=60, blank=True)
    target_b04 = models.DecimalField(
        _("target B.04"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    target_b08 = models.DecimalField(
        _("target B.08"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    target_b12 = models.DecimalField(
        _("target B.12"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    target_year = models.DecimalField(
        _("target tahunan"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    responsible_institution = models.ForeignKey(
        "teams.Institution",
        verbose_name=_("penanggung jawab"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_activities",
    )
    related_institutions = models.ManyToManyField(
        "teams.Institution", verbose_name=_("instansi terkait"), blank=True, related_name="related_activities"
    )
    budget = models.DecimalField(
        _("anggaran (Rp)"), max_digits=16, decimal_places=0, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    funding_source = models.CharField(
        _("sumber dana"), max_length=8, choices=FundingSource.choices, blank=True
    )
    place = models.ForeignKey(
        Region,
        verbose_name=_("lokasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosongkan bila kegiatan mencakup seluruh wilayah tim."),
    )
    is_national = models.BooleanField(_("kegiatan nasional (Kemendagri)"), default=False)

    objects = ActivityQuerySet.as_manager()
    scope_field = "plan__team__region"

    class Meta:
        ordering = ["plan", "strategy", "position", "id"]
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        indexes = [models.Index(fields=["plan", "strategy", "position"], name="activity_plan_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(strategy="prevention", sub_type__startswith="prevention_")
                    | Q(strategy="stopping", sub_type__startswith="stopping_")
                    | Q(strategy="recovery", sub_type__startswith="recovery_")
                ),
                name="activity_subtype_matches_strategy",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(target_b04__isnull=True) | Q(target_b04__gte=0))
                    & (Q(target_b08__isnull=True) | Q(target_b08__gte=0))
                    & (Q(target_b12__isnull=True) | Q(target_b12__gte=0))
                    & (Q(target_year__isnull=True) | Q(target_year__gte=0))
                ),
                name="activity_targets_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="activity_budget_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.strategy and self.sub_type and not self.sub_type.startswith(f"{self.strategy}_"):
            raise ValidationError({"sub_type": _("Sub-lingkup tidak sesuai dengan strategi yang dipilih.")})

    def target_for(self, period):
        return getattr(self, f"target_{str(period).lower()}")


# What a secretariat writes of an activity, in the order its form shows it: the form, the API
# serializer, the services and the tests take the list from here. `related_institutions` is a
# many-to-many relation, set after the row is saved (`ACTIVITY_COLUMNS` are the others).
ACTIVITY_FIELDS = (
    "strategy",
    "sub_type",
    "position",
    "title",
    "description",
    "indicator",
    "unit",
    "target_b04",
    "target_b08",
    "target_b12",
    "target_year",
    "responsible_institution",
    "related_institutions",
    "budget",
    "funding_source",
    "place",
    "is_national",
)
ACTIVITY_COLUMNS = tuple(name for name in ACTIVITY_FIELDS if name != "related_institutions")


class Realisation(TimeStampedModel):
    """What an activity achieved in one period, reported by the team's secretariat to the province.

    Workflow: draft → submitted → accepted, or → returned (with the province's note) → submitted
    again. Only draft and returned realisations can be edited. `first_submitted_at` and `on_time`
    record the first submission against the period deadline (a return does not make it late);
    `submitted_at` is the latest submission.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Dikirim")
        ACCEPTED = "accepted", _("Diterima")
        RETURNED = "returned", _("Dikembalikan")

    REPORTED = (Status.SUBMITTED, Status.ACCEPTED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    activity = models.ForeignKey(
        Activity, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="realisations"
    )
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    value = models.DecimalField(
        _("realisasi"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[NOT_NEGATIVE]
    )
    achievement = models.DecimalField(
        _("capaian (%)"), max_digits=9, decimal_places=2, null=True, blank=True, editable=False
    )
    narrative = models.TextField(_("uraian pelaksanaan"), blank=True)
    obstacles = models.TextField(_("kendala"), blank=True)
    next_steps = models.TextField(_("tindak lanjut"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    first_submitted_at = models.DateTimeField(_("pertama dikirim"), null=True, blank=True)
    on_time = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikirim oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diperiksa oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("catatan pemeriksaan"), blank=True)

    objects = ScopedManager()
    scope_field = "activity__plan__team__region"

    class Meta:
        ordering = ["activity__plan", "activity__strategy", "activity__position", "activity_id", "period"]
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        indexes = [models.Index(fields=["period", "status"], name="realisation_period_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "period"],
                name="realisation_one_per_period",
                violation_error_message=_("Kegiatan ini sudah memiliki realisasi untuk periode tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="realisation_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(first_submitted_at__isnull=False),
                name="realisation_submitted_is_stamped",
            ),
        ]

    def __str__(self):
        return f"{self.activity} · {self.get_period_display()}"

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


evidence_path = stored_file_path  # the name migration 0001 refers to


class Evidence(StoredFile):
    """A supporting document (data dukung) of a realisation: PDF, image, Word or Excel file.

    Stored under a generated name outside the web root and only served by a permission-checked
    download view; images are re-encoded on upload (which drops their EXIF data).
    """

    realisation = models.ForeignKey(
        Realisation, verbose_name=_("realisasi"), on_delete=models.CASCADE, related_name="evidence"
    )

    objects = ScopedManager()
    scope_field = "realisation__activity__plan__team__region"
    upload_policy = uploads.EVIDENCE

    class Meta:
        ordering = ["realisation", "id"]
        verbose_name = _("data dukung")
        verbose_name_plural = _("data dukung")
