"""Incident reports (laporan kejadian) with their updates and attachments, early-warning records
(potensi konflik), Status Keadaan Konflik, and the per-regency number counter.

Every region-owned model is scoped through `visible_to(user)` (konflik.scoping); writes go through
`incidents.services`, which validate with `full_clean()` and write one audit event each.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konflik.models import Region, StoredFile, TimeStampedModel
from konflik.scoping import ScopedManager, ScopedQuerySet

from . import uploads

# PostgreSQL's text-search configuration of the report search. `indonesian` (Snowball's stemmer)
# strips the affixes Indonesian builds its words with, so "pembakaran" finds "dibakar" and "membakar".
# It was measured against `simple` (whole words as written) and kept: the README's benchmark section.
SEARCH_CONFIG = "indonesian"


class SearchDocument(models.Func):
    """The searchable form of a text column, for a stored generated column.

    PostgreSQL: `to_tsvector(config, COALESCE(text, ''))`. Elsewhere (the embedded SQLite of a first
    run) the text itself: searches there use `icontains` on the text and never read this column.
    """

    function = "to_tsvector"
    output_field = SearchVectorField()

    def __init__(self, expression, *, config="simple", **extra):
        if config not in ("simple", "indonesian"):
            raise ValueError(f"unknown text-search configuration {config!r}")
        super().__init__(expression, **extra)
        self.config = config

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_tsvector('{self.config}'::regconfig, COALESCE({sql}, ''::text))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"COALESCE({sql}, '')", params


class SourceOfConflict(models.TextChoices):
    """UU 7/2012 Pasal 5: the five sources of social conflict."""

    POLITICAL_ECONOMIC_SOCIOCULTURAL = (
        "political_economic_sociocultural",
        _("Permasalahan politik, ekonomi, dan sosial budaya"),
    )
    RELIGION_ETHNICITY = "religion_ethnicity", _("Perseteruan antarumat beragama, antarsuku, dan antaretnis")
    BOUNDARY_DISPUTE = "boundary_dispute", _("Sengketa batas wilayah")
    NATURAL_RESOURCE_DISPUTE = "natural_resource_dispute", _("Sengketa sumber daya alam")
    NATURAL_RESOURCE_DISTRIBUTION = (
        "natural_resource_distribution",
        _("Distribusi sumber daya alam yang tidak seimbang"),
    )


class SnpkIssue(models.TextChoices):
    """The national violence-monitoring system's (SNPK) issue types, for analysis and export."""

    RESOURCES = "resources", _("Konflik Sumber Daya")
    GOVERNANCE = "governance", _("Tata Kelola Pemerintahan")
    ELECTION = "election", _("Pemilihan dan Jabatan")
    IDENTITY = "identity", _("Identitas")
    VIGILANTISM = "vigilantism", _("Main Hakim Sendiri")
    SEPARATISM = "separatism", _("Separatisme")


class PartyKind(models.TextChoices):
    COMMUNITY = "community", _("Kelompok masyarakat")
    ETHNIC_GROUP = "ethnic_group", _("Kelompok suku/etnis")
    RELIGIOUS_GROUP = "religious_group", _("Kelompok agama")
    COMPANY = "company", _("Perusahaan")
    GOVERNMENT = "government", _("Pemerintah")
    SECURITY_FORCES = "security_forces", _("Aparat keamanan")
    POLITICAL_GROUP = "political_group", _("Kelompok politik")
    OTHER = "other", _("Lainnya")


def province_bounds():
    """(south, west, north, east) from `KONFLIK_INCIDENT_BOUNDS`."""
    south, west, north, east = settings.KONFLIK_INCIDENT_BOUNDS
    return south, west, north, east


def validate_coordinates(latitude, longitude, errors):
    """Both or neither, and inside the province's bounding box."""
    if latitude is None and longitude is None:
        return
    if latitude is None or longitude is None:
        errors.setdefault("latitude", []).append(
            _("Isi lintang dan bujur keduanya, atau kosongkan keduanya.")
        )
        return
    south, west, north, east = province_bounds()
    if not (south <= float(latitude) <= north and west <= float(longitude) <= east):
        errors.setdefault("latitude", []).append(_("Koordinat berada di luar wilayah provinsi."))


def validate_not_future(value, field, errors):
    if value is not None and value > timezone.localdate():
        errors.setdefault(field, []).append(_("Tanggal tidak boleh di masa depan."))


class IncidentQuerySet(ScopedQuerySet):
    _count_narrowing = None

    def for_list(self):
        """What a list row, an export row or a map marker reads, in one query."""
        return self.select_related("region", "district", "village")

    def counted_with(self, narrowing):
        """The same rows, whose `count()` also applies `narrowing`.

        `narrowing` must select every row the queryset holds (a restatement of its scope that an
        index can serve, see `selectors.search_incidents`): the count cannot change, only its plan.
        It stays off the row query, where the planner would take the two restatements of one scope
        for independent conditions, expect a hundredth of the rows and pick a worse plan.
        """
        clone = self._chain()
        clone._count_narrowing = narrowing
        return clone

    def count(self):
        if self._count_narrowing is None or self._result_cache is not None or self.query.is_sliced:
            return super().count()
        narrowed = self.filter(self._count_narrowing)
        narrowed._count_narrowing = None
        return narrowed.count()

    def _clone(self):
        clone = super()._clone()
        clone._count_narrowing = self._count_narrowing
        return clone


class Incident(TimeStampedModel):
    """A laporan kejadian filed by a regency secretariat and verified (or returned) by the province.

    `region` is the regency/city (it scopes the report and its number); `district` and `village`
    narrow it down and must lie in that regency. The number is unique per regency and year of the
    report: `61.71/2026/0007`.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        VERIFIED = "verified", _("Terverifikasi")
        RETURNED = "returned", _("Dikembalikan")
        CLOSED = "closed", _("Ditutup")

    class Stage(models.TextChoices):
        POTENTIAL = "potential", _("Potensi")
        OCCURRING = "occurring", _("Terjadi")
        HANDLED = "handled", _("Ditangani")
        RECOVERY = "recovery", _("Pemulihan")
        RESOLVED = "resolved", _("Selesai")

    class DatePrecision(models.TextChoices):
        DAY = "day", _("Tanggal tepat")
        WEEK = "week", _("Minggu")
        MONTH = "month", _("Bulan")

    number = models.CharField(_("nomor"), max_length=24, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(_("tahun"), editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    region = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="incidents"
    )
    district = models.ForeignKey(
        Region, verbose_name=_("kecamatan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("desa/kelurahan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("keterangan tempat"), max_length=255, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)

    occurred_on = models.DateField(_("tanggal kejadian"))
    date_precision = models.CharField(
        _("ketepatan tanggal"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    reported_at = models.DateTimeField(_("dilaporkan pada"), default=timezone.now)

    title = models.CharField(_("judul"), max_length=200)
    source_of_conflict = models.CharField(
        _("sumber konflik"), max_length=40, choices=SourceOfConflict.choices
    )
    snpk_issue = models.CharField(_("jenis isu SNPK"), max_length=20, choices=SnpkIssue.choices, blank=True)
    # [{"name": "Warga Desa A", "kind": "community"}, ...]: at least two
    parties = models.JSONField(_("pihak yang terlibat"), default=list)
    people_involved = models.PositiveIntegerField(_("perkiraan jumlah orang terlibat"), default=0)
    deaths = models.PositiveIntegerField(_("tewas"), default=0)
    injured = models.PositiveIntegerField(_("luka"), default=0)
    displaced = models.PositiveIntegerField(_("pengungsi"), default=0)
    buildings_damaged = models.PositiveIntegerField(_("bangunan rusak"), default=0)
    estimated_loss = models.DecimalField(
        _("perkiraan kerugian (Rp)"),
        max_digits=16,
        decimal_places=0,
        default=0,
        validators=[MinValueValidator(0)],
    )
    chronology = models.TextField(_("kronologi"))
    handling = models.TextField(_("penanganan yang sudah dilakukan"), blank=True)
    handled_by = models.CharField(_("ditangani oleh"), max_length=255, blank=True)
    information_source = models.CharField(_("sumber informasi"), max_length=255, blank=True)
    stage = models.CharField(_("tahap"), max_length=10, choices=Stage.choices, default=Stage.OCCURRING)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True, editable=False)
    return_note = models.TextField(_("catatan pengembalian"), blank=True, editable=False)
    resolved_on = models.DateField(_("tanggal penyelesaian"), null=True, blank=True, editable=False)
    # Title, chronology and party names, kept by the services for full-text search; a plain
    # `icontains` on SQLite.
    search_text = models.TextField(blank=True, editable=False)
    # Its tsvector, stored by the database (PostgreSQL: GIN-indexed with the scope, migrations 0004/0005),
    # so a search never recomputes it row by row.
    search_vector = models.GeneratedField(
        expression=SearchDocument("search_text", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ScopedManager.from_queryset(IncidentQuerySet)()
    scope_field = "region"
    scope_holds_regency = True  # `region` is always a regency/city (see `clean`): konflik.scoping

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("laporan kejadian")
        verbose_name_plural = _("laporan kejadian")
        indexes = [
            models.Index(fields=["region", "occurred_on"], name="incident_region_date_idx"),
            models.Index(fields=["status", "occurred_on"], name="incident_status_date_idx"),
            models.Index(fields=["occurred_on", "id"], name="incident_date_idx"),
            models.Index(fields=["source_of_conflict", "occurred_on"], name="incident_source_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "sequence"], name="incident_number_per_regency_year"
            ),
            models.CheckConstraint(
                condition=Q(status="verified", verified_at__isnull=False) | ~Q(status="verified"),
                name="incident_verified_is_stamped",
            ),
            models.CheckConstraint(
                condition=Q(status="closed", resolved_on__isnull=False) | ~Q(status="closed"),
                name="incident_closed_has_resolution_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("incidents:detail", args=[self.pk])

    @property
    def is_editable(self):
        """The regency edits a draft or a returned report; a submitted one is locked."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def accepts_updates(self):
        return self.status == self.Status.VERIFIED

    @property
    def has_casualties(self):
        return bool(self.deaths or self.injured)

    def party_names(self):
        return [p.get("name", "") for p in self.parties or [] if isinstance(p, dict)]

    def clean(self):
        errors = {}
        if self.region_id:
            region = self.region
            if not region.is_regency_level:
                errors.setdefault("region", []).append(_("Pilih kabupaten/kota."))
            if self.district_id and self.district.parent_id != self.region_id:
                errors.setdefault("district", []).append(
                    _("Kecamatan ini tidak berada di kabupaten/kota yang dipilih.")
                )
            if self.village_id:
                if self.village.level != Region.Level.VILLAGE:
                    errors.setdefault("village", []).append(_("Pilih desa/kelurahan."))
                elif Region.regency_code_of(self.village_id) != self.region_id:
                    errors.setdefault("village", []).append(
                        _("Desa/kelurahan ini tidak berada di kabupaten/kota yang dipilih.")
                    )
                elif self.district_id and self.village.parent_id != self.district_id:
                    errors.setdefault("village", []).append(
                        _("Desa/kelurahan ini tidak berada di kecamatan yang dipilih.")
                    )
        if self.district_id and self.district.level != Region.Level.DISTRICT:
            errors.setdefault("district", []).append(_("Pilih kecamatan."))
        validate_not_future(self.occurred_on, "occurred_on", errors)
        if self.reported_at and self.reported_at > timezone.now() + datetime.timedelta(minutes=5):
            errors.setdefault("reported_at", []).append(_("Waktu pelaporan tidak boleh di masa depan."))
        if self.occurred_on and self.reported_at and self.occurred_on > timezone.localdate(self.reported_at):
            errors.setdefault("occurred_on", []).append(
                _("Tanggal kejadian tidak boleh setelah tanggal pelaporan.")
            )
        validate_coordinates(self.latitude, self.longitude, errors)
        party_errors = validate_parties(self.parties)
        if party_errors:
            errors["parties"] = party_errors
        if errors:
            raise ValidationError(errors)


def validate_parties(parties) -> list:
    """At least two parties, each a non-empty name (≤ 200 characters) and a known kind."""
    if not isinstance(parties, list):
        return [_("Daftar pihak tidak sah.")]
    problems = []
    valid = 0
    for party in parties:
        if not isinstance(party, dict):
            problems.append(_("Setiap pihak harus memiliki nama dan jenis."))
            continue
        name = party.get("name")
        kind = party.get("kind")
        if not isinstance(name, str) or not name.strip():
            problems.append(_("Setiap pihak harus memiliki nama."))
        elif len(name) > 200:
            problems.append(_("Nama pihak paling panjang 200 karakter."))
        elif kind not in PartyKind.values:
            problems.append(_("Jenis pihak tidak dikenal."))
        else:
            valid += 1
    if len(parties) > 20:
        problems.append(_("Paling banyak 20 pihak."))
    if not problems and valid < 2:
        problems.append(_("Sebutkan sekurang-kurangnya dua pihak yang terlibat."))
    return problems


class IncidentSequence(models.Model):
    """The last number given to an incident of one regency in one year (row-locked on allocation)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["region", "year"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="incident_sequence_once")]

    def __str__(self):
        return f"{self.region_id}/{self.year}: {self.last_number}"


class IncidentUpdate(TimeStampedModel):
    """Perkembangan: new information added to a verified report. Revised figures (blank = unchanged)
    are applied to the report by the service, so a change is never silent."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="updates"
    )
    occurred_on = models.DateField(_("tanggal perkembangan"), default=timezone.localdate)
    description = models.TextField(_("perkembangan"))
    stage = models.CharField(_("tahap"), max_length=10, choices=Incident.Stage.choices, blank=True)
    deaths = models.PositiveIntegerField(_("tewas"), null=True, blank=True)
    injured = models.PositiveIntegerField(_("luka"), null=True, blank=True)
    displaced = models.PositiveIntegerField(_("pengungsi"), null=True, blank=True)
    buildings_damaged = models.PositiveIntegerField(_("bangunan rusak"), null=True, blank=True)
    estimated_loss = models.DecimalField(
        _("perkiraan kerugian (Rp)"),
        max_digits=16,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedManager()
    scope_field = "incident__region"

    FIGURES = ("deaths", "injured", "displaced", "buildings_damaged", "estimated_loss")

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("perkembangan")
        verbose_name_plural = _("perkembangan")

    def __str__(self):
        return f"{self.incident_id} {self.occurred_on}"

    def clean(self):
        errors = {}
        validate_not_future(self.occurred_on, "occurred_on", errors)
        if errors:
            raise ValidationError(errors)


class Attachment(StoredFile):
    """A photo or a document on a report or one of its updates, stored under MEDIA_ROOT (outside the
    web root) with a generated name and served only by a permission-checked view."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    update = models.ForeignKey(
        IncidentUpdate, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )

    objects = ScopedManager()
    scope_field = "incident__region"
    upload_policy = uploads.ATTACHMENTS  # `incidents/<year>/<uuid>.<ext>`, stored by `uploads.store`

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def get_absolute_url(self):
        return reverse("incidents:attachment", args=[self.pk])


class RiskLevel(models.TextChoices):
    LOW = "low", _("rendah")
    MEDIUM = "medium", _("sedang")
    HIGH = "high", _("tinggi")
    VERY_HIGH = "very_high", _("sangat tinggi")


# The risk matrix: RISK_MATRIX[likelihood][impact], both 1 (rendah) to 4 (sangat tinggi).
# It follows the product likelihood × impact: 1–2 rendah, 3–4 sedang, 6–8 tinggi, 9–16 sangat tinggi.
#
#                    impact 1   impact 2   impact 3        impact 4
#   likelihood 1     rendah     rendah     sedang          sedang
#   likelihood 2     rendah     sedang     tinggi          tinggi
#   likelihood 3     sedang     tinggi     sangat tinggi   sangat tinggi
#   likelihood 4     sedang     tinggi     sangat tinggi   sangat tinggi
_L, _M, _H, _V = RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.VERY_HIGH
RISK_MATRIX = {
    1: {1: _L, 2: _L, 3: _M, 4: _M},
    2: {1: _L, 2: _M, 3: _H, 4: _H},
    3: {1: _M, 2: _H, 3: _V, 4: _V},
    4: {1: _M, 2: _H, 3: _V, 4: _V},
}


def risk_level(likelihood: int, impact: int) -> str:
    return RISK_MATRIX[int(likelihood)][int(impact)]


class ScaleOfFour(models.IntegerChoices):
    LOW = 1, _("1 – rendah")
    MEDIUM = 2, _("2 – sedang")
    HIGH = 3, _("3 – tinggi")
    VERY_HIGH = 4, _("4 – sangat tinggi")


class ConflictPotential(TimeStampedModel):
    """Potensi konflik: an early-warning record for a place (region down to village), with a risk
    level from likelihood × impact (RISK_MATRIX) and a next review date that reminds its owner."""

    class Status(models.TextChoices):
        OPEN = "open", _("Dipantau")
        ESCALATED = "escalated", _("Meningkat")
        CLOSED = "closed", _("Selesai")

    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="conflict_potentials"
    )
    place = models.CharField(_("keterangan tempat"), max_length=255, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    title = models.CharField(_("judul"), max_length=200)
    source_of_conflict = models.CharField(
        _("sumber konflik"), max_length=40, choices=SourceOfConflict.choices
    )
    description = models.TextField(_("uraian"))
    indicators = models.TextField(_("indikator"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("kemungkinan"), choices=ScaleOfFour.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    impact = models.PositiveSmallIntegerField(
        _("dampak"), choices=ScaleOfFour.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    risk_level = models.CharField(
        _("tingkat risiko"), max_length=10, choices=RiskLevel.choices, editable=False
    )
    recommended_actions = models.TextField(_("rekomendasi tindakan"), blank=True)
    owner = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    next_review_on = models.DateField(_("tanggal tinjauan berikutnya"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedManager()
    scope_field = "region"

    class Meta:
        ordering = ["-updated", "-id"]
        verbose_name = _("potensi konflik")
        verbose_name_plural = _("potensi konflik")
        indexes = [
            models.Index(fields=["region", "risk_level"], name="potential_region_risk_idx"),
            models.Index(fields=["next_review_on"], name="potential_review_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("incidents:potential_detail", args=[self.pk])

    def clean(self):
        errors = {}
        validate_coordinates(self.latitude, self.longitude, errors)
        if self.likelihood in (1, 2, 3, 4) and self.impact in (1, 2, 3, 4):
            self.risk_level = risk_level(self.likelihood, self.impact)
        if errors:
            raise ValidationError(errors)


class ConflictStatusQuerySet(ScopedQuerySet):
    def active_on(self, day):
        return self.filter(revoked_on__isnull=True, start_date__lte=day, end_date__gte=day)


class ConflictStatus(TimeStampedModel):
    """Status Keadaan Konflik: declared by decree for at most 90 days, extendable, revocable earlier;
    linked to the incidents it covers. `end_date` is the current end (extensions move it)."""

    class Scale(models.TextChoices):
        REGENCY = "regency", _("Kabupaten/kota")
        PROVINCE = "province", _("Provinsi")
        NATIONAL = "national", _("Nasional")

    scale = models.CharField(_("skala"), max_length=10, choices=Scale.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="conflict_statuses"
    )
    decree_number = models.CharField(_("nomor keputusan"), max_length=120)
    decree_date = models.DateField(_("tanggal keputusan"))
    declared_by = models.CharField(_("ditetapkan oleh"), max_length=120)
    dprd_consultation_on = models.DateField(_("tanggal konsultasi DPRD"), null=True, blank=True)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("berakhir"))
    original_end_date = models.DateField(_("berakhir (keputusan awal)"), editable=False)
    revoked_on = models.DateField(_("dicabut pada"), null=True, blank=True, editable=False)
    revocation_decree_number = models.CharField(
        _("nomor keputusan pencabutan"), max_length=120, blank=True, editable=False
    )
    revocation_note = models.TextField(_("catatan pencabutan"), blank=True, editable=False)
    notes = models.TextField(_("catatan"), blank=True)
    incidents = models.ManyToManyField(
        Incident, verbose_name=_("kejadian terkait"), blank=True, related_name="conflict_statuses"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ScopedManager.from_queryset(ConflictStatusQuerySet)()
    scope_field = "region"

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("status keadaan konflik")
        verbose_name_plural = _("status keadaan konflik")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="skk_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.decree_number} ({self.region_id})"

    def get_absolute_url(self):
        return reverse("incidents:status_detail", args=[self.pk])

    def is_active(self, day=None):
        day = day or timezone.localdate()
        return self.revoked_on is None and self.start_date <= day <= self.end_date

    @property
    def state(self):
        today = timezone.localdate()
        if self.revoked_on:
            return "revoked"
        if today < self.start_date:
            return "planned"
        if today > self.end_date:
            return "expired"
        return "active"

    def clean(self):
        errors = {}
        if self.region_id:
            level = self.region.level
            if self.scale == self.Scale.REGENCY and level not in (Region.Level.REGENCY, Region.Level.CITY):
                errors.setdefault("region", []).append(
                    _("Status skala kabupaten/kota harus untuk kabupaten/kota.")
                )
            if self.scale == self.Scale.PROVINCE and level != Region.Level.PROVINCE:
                errors.setdefault("region", []).append(_("Status skala provinsi harus untuk provinsi."))
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors.setdefault("end_date", []).append(
                    _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
                )
            max_days = settings.KONFLIK_INCIDENT_SKK_MAX_DAYS
            original_end = self.original_end_date if self.pk and self.original_end_date else self.end_date
            if original_end > self.start_date + datetime.timedelta(days=max_days):
                errors.setdefault("end_date", []).append(
                    _("Status Keadaan Konflik berlaku paling lama %(days)s hari sejak mulai.")
                    % {"days": max_days}
                )
        validate_not_future(self.decree_date, "decree_date", errors)
        if self.dprd_consultation_on and self.decree_date and self.dprd_consultation_on > self.decree_date:
            errors.setdefault("dprd_consultation_on", []).append(
                _("Konsultasi DPRD dilakukan sebelum keputusan ditetapkan.")
            )
        if errors:
            raise ValidationError(errors)


class ConflictStatusExtension(models.Model):
    """One extension of a Status Keadaan Konflik: the end moved by the configured number of days."""

    status = models.ForeignKey(ConflictStatus, on_delete=models.CASCADE, related_name="extensions")
    decree_number = models.CharField(_("nomor keputusan"), max_length=120)
    decree_date = models.DateField(_("tanggal keputusan"))
    previous_end_date = models.DateField(_("berakhir sebelumnya"))
    new_end_date = models.DateField(_("berakhir baru"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_field = "status__region"

    class Meta:
        ordering = ["created", "id"]
        verbose_name = _("perpanjangan")
        verbose_name_plural = _("perpanjangan")

    def __str__(self):
        return f"{self.decree_number}: {self.previous_end_date} → {self.new_end_date}"
