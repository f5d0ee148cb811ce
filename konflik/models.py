"""Core models: regions, users with a role and a region, the audit log."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet, scope_q


class TimeStampedModel(models.Model):
    """Abstract base: creation and last-update times for every table."""

    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        abstract = True


def stored_file_path(instance, filename):
    """Where a `StoredFile`'s content goes: a generated name in the folder of the model's upload
    policy. The name a service saves under is only read for its extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return instance.upload_policy.generated_name(extension if extension.isalnum() else "bin")


class StoredFile(models.Model):
    """Abstract base of an uploaded file kept for a row (minutes attachment, evidence, incident
    attachment): the content under a generated name outside the web root, the user's file name only
    as a label, the type found in the content, the size, who uploaded it and when.

    A subclass names its `konflik.uploads.UploadPolicy` in `upload_policy` (the folder, allowed types
    and limits), adds its owner's foreign key, `objects = ScopedManager()` and `scope_field`. The
    files are served only by a permission-checked view (`konflik.uploads.attachment_response`).
    """

    file = models.FileField(_("berkas"), upload_to=stored_file_path, max_length=300)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis"), max_length=120)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("diunggah"), auto_now_add=True)

    upload_policy = None  # the subclass's `UploadPolicy`

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


class RegionQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A user sees their region, what lies below it, and its ancestors (for context)."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if user.is_admin_role:
            return self.all()
        if not user.region_id:
            return self.none()
        ancestors = Region.ancestor_codes(user.region_id)
        return self.filter(Q(code__in=ancestors) | scope_q("", user.region_id))

    def in_scope_of(self, user):
        """The regions a user may file or own data in: their region and below (no ancestors)."""
        if user.is_admin_role:
            return self.all()
        if not user.region_id:
            return self.none()
        return self.filter(scope_q("", user.region_id))


class Region(models.Model):
    """A province, regency/city, district or village, keyed by its Kemendagri code (`61.71.01`).

    The code is the primary key, so a foreign key column holds the code itself and scoping is a
    prefix match on that column without a join.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten")
        CITY = "city", _("Kota")
        DISTRICT = "district", _("Kecamatan")
        VILLAGE = "village", _("Desa/Kelurahan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()
    scope_field = ""  # the region is its own scope

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        indexes = [
            models.Index(fields=["parent", "code"], name="region_parent_code_idx"),
            models.Index(fields=["level"], name="region_level_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level="province") | Q(parent__isnull=False),
                name="region_only_provinces_are_roots",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_regency_level(self):
        return self.level in (self.Level.REGENCY, self.Level.CITY)

    @staticmethod
    def ancestor_codes(code: str) -> list[str]:
        """`61.71.01` -> `["61", "61.71"]` (codes are hierarchical by construction)."""
        parts = code.split(".")
        return [".".join(parts[:i]) for i in range(1, len(parts))]

    @staticmethod
    def regency_code_of(code: str | None) -> str | None:
        """The regency/city that a code lies in (`61.71.01.1002` -> `61.71`), None for a province."""
        if not code or "." not in code:
            return None
        return ".".join(code.split(".")[:2])


class User(AbstractUser):
    """A person who signs in: one role and one region (their scope is that region and below)."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        PROVINCE_SECRETARIAT = "province_secretariat", _("Sekretariat Provinsi")
        REGENCY_SECRETARIAT = "regency_secretariat", _("Sekretariat Kabupaten/Kota")
        LEADERSHIP = "leadership", _("Pimpinan")
        MEMBER = "member", _("Anggota Tim Terpadu")

    role = models.CharField(_("peran"), max_length=24, choices=Role.choices, default=Role.MEMBER)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    objects = UserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="admin") | Q(region__isnull=False), name="user_non_admin_has_region"
            ),
        ]

    @property
    def is_admin_role(self):
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_secretariat(self):
        return self.role in (self.Role.PROVINCE_SECRETARIAT, self.Role.REGENCY_SECRETARIAT)

    @property
    def is_province_level(self):
        """Province secretariat or admin: the ones who verify, accept and return."""
        return self.is_admin_role or self.role == self.Role.PROVINCE_SECRETARIAT

    @property
    def can_write(self):
        return self.is_admin_role or self.is_secretariat


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A token is only ever its owner's, and a revoked one is gone for good."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user, revoked_at__isnull=True)

    def active(self):
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires__gt=timezone.now())


class ApiToken(models.Model):
    """A key for one API client of one user (`Authorization: Token <key>`).

    Only the SHA-256 of the key is stored: the key is shown once, when it is issued. A token expires
    (`KONFLIK_API_TOKEN_DAYS`), can be revoked by its owner, and is revoked with every token of its
    user on a password change, a deactivation or a reset of the second factor. `mfa_verified` says it
    was issued with a verified one-time code; a role that requires two-step sign-in accepts no other.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("nama klien"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires = models.DateTimeField(_("kedaluwarsa"))
    last_used = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    mfa_verified = models.BooleanField(_("dengan verifikasi dua langkah"), default=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(revoked_at__isnull=True), name="api_token_one_per_client"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.user_id})"

    @staticmethod
    def hash_key(key: str) -> str:
        import hashlib

        return hashlib.sha256(key.encode()).hexdigest()


class AuditEventQuerySet(ScopedQuerySet):
    def for_object(self, obj):
        from django.contrib.contenttypes.models import ContentType

        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))


class AuditEvent(models.Model):
    """One row per create, update, delete or workflow transition. Never updated or deleted by the app."""

    class Action(models.TextChoices):
        CREATE = "create", _("dibuat")
        UPDATE = "update", _("diubah")
        DELETE = "delete", _("dihapus")

    created = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_repr = models.CharField(_("pelaku"), max_length=150, blank=True)
    # create / update / delete, or the name of a workflow transition (submit, verify, return...)
    action = models.CharField(_("tindakan"), max_length=40)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("objek"), max_length=200)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    changes = models.JSONField(_("perubahan"), default=dict, blank=True)  # {field: [before, after]}
    note = models.TextField(_("catatan"), blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()
    scope_field = "region"

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("peristiwa audit")
        verbose_name_plural = _("peristiwa audit")
        indexes = [models.Index(fields=["content_type", "object_id", "created"], name="audit_object_idx")]

    def __str__(self):
        return f"{self.created:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A notification is only ever its own recipient's."""
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app message for one user (the bell): a reminder or an alert."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500, blank=True)
    kind = models.CharField(_("jenis"), max_length=60, blank=True)
    created = models.DateTimeField(_("waktu"), auto_now_add=True)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title


class Reminder(models.Model):
    """A message due at a time about one object (a meeting, a follow-up, a realisation...).

    The database is the source of truth: rows are planned in the same transaction as the object they
    remind of, claimed by the dispatcher with a conditional update, delivered by an idempotent task
    that records each (channel, recipient) in the `Delivery` ledger. What a kind sends and to whom is
    defined by its `konflik.reminders.ReminderKind`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("menunggu")
        CLAIMED = "claimed", _("diproses")
        SENT = "sent", _("terkirim")
        CANCELLED = "cancelled", _("dibatalkan")

    kind = models.CharField(_("jenis"), max_length=60)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_at = models.DateTimeField(_("jatuh tempo"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # Once-per-cause reminders (alerts) carry a key; a second plan with the same kind and key is a no-op.
    dedupe_key = models.CharField(max_length=200, null=True, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_field = "region"

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("pengingat")
        verbose_name_plural = _("pengingat")
        indexes = [
            # The dispatcher's query: pending rows by due time (partial, so it stays small).
            models.Index(fields=["due_at"], name="reminder_pending_due_idx", condition=Q(status="pending")),
            models.Index(fields=["claimed_at"], name="reminder_claimed_idx", condition=Q(status="claimed")),
            models.Index(fields=["content_type", "object_id", "kind"], name="reminder_object_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="reminder_once_per_cause",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} @ {self.due_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """The ledger: one row per reminder, channel and recipient that was delivered. Its uniqueness is
    what makes the send task idempotent."""

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    recipient = models.CharField(max_length=254)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pengiriman")
        verbose_name_plural = _("pengiriman")
        constraints = [
            models.UniqueConstraint(fields=["reminder", "channel", "recipient"], name="delivery_once"),
        ]

    def __str__(self):
        return f"{self.reminder_id} {self.channel} {self.recipient}"
