"""Tim Terpadu: one team per region (the province and each regency/city), its institutions, decrees
and members; coordination meetings with invitees, minutes and follow-up items."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from konflik.models import Region, StoredFile, TimeStampedModel, stored_file_path
from konflik.periods import Period
from konflik.scoping import ScopedManager, ScopedQuerySet, scope_q

from . import uploads


class Team(TimeStampedModel):
    """The Tim Terpadu Penanganan Konflik Sosial of one region, with its current decree (SK)."""

    region = models.OneToOneField(
        Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="team"
    )
    name = models.CharField(_("nama"), max_length=200)
    decree_number = models.CharField(_("nomor SK"), max_length=120, blank=True)
    decree_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    secretariat_unit = models.CharField(_("unit sekretariat"), max_length=200, blank=True)
    # The decree whose membership list is current; the fields above mirror it.
    current_decree = models.ForeignKey(
        "Decree",
        verbose_name=_("SK berlaku"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedManager()
    scope_field = "region"

    class Meta:
        ordering = ["region_id"]
        verbose_name = _("tim terpadu")
        verbose_name_plural = _("tim terpadu")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="team_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("teams:team_detail", args=[self.pk])


class Institution(TimeStampedModel):
    """An institution whose officials sit in a team: OPD, Polda/Polres, Korem/Kodim, Kejaksaan..."""

    class Kind(models.TextChoices):
        OPD = "opd", _("Perangkat Daerah (OPD)")
        POLICE = "police", _("Polri (Polda/Polres)")
        MILITARY = "military", _("TNI (Kodam/Korem/Kodim)")
        PROSECUTOR = "prosecutor", _("Kejaksaan")
        RELIGIOUS_AFFAIRS = "religious_affairs", _("Kementerian Agama")
        FKUB = "fkub", _("FKUB")
        VERTICAL = "vertical", _("Instansi vertikal lain")
        COMMUNITY = "community", _("Tokoh masyarakat/adat/agama")
        OTHER = "other", _("Lainnya")

    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.OPD)

    objects = ScopedManager()
    scope_field = "region"

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="institution_unique_name_per_region")
        ]

    def __str__(self):
        return self.name


class Decree(TimeStampedModel):
    """A decree (SK Gubernur / SK Bupati / SK Wali Kota) setting a team's membership for a period.

    Each decree has its own membership list; a new decree starts a new list, prefilled from the last.
    The team's `decree_*` and `valid_*` fields mirror its current (latest) decree.
    """

    team = models.ForeignKey(Team, verbose_name=_("tim"), on_delete=models.CASCADE, related_name="decrees")
    number = models.CharField(_("nomor SK"), max_length=120)
    date = models.DateField(_("tanggal SK"))
    valid_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)

    objects = ScopedManager()
    scope_field = "team__region"

    class Meta:
        ordering = ["team_id", "-date", "-id"]
        verbose_name = _("SK tim")
        verbose_name_plural = _("SK tim")
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="decree_unique_number_per_team"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="decree_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.number


class Position(models.Model):
    """A position in a team (Ketua, Wakil Ketua I, Sekretaris, Anggota, sub-team...): data, not roles.

    Decrees differ between regions, so the list is configurable (Django admin); `order` sorts a
    membership list the way a decree does.
    """

    name = models.CharField(_("nama"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("kedudukan dalam tim")
        verbose_name_plural = _("kedudukan dalam tim")

    def __str__(self):
        return self.name


class MemberQuerySet(ScopedQuerySet):
    def visible_to_member(self, user):
        """A team member sees their own membership rows."""
        return self.filter(user=user)


class Member(TimeStampedModel):
    """A person in a team's membership list (of one decree): office, institution, position, contact."""

    team = models.ForeignKey(Team, verbose_name=_("tim"), on_delete=models.CASCADE, related_name="members")
    decree = models.ForeignKey(
        Decree, verbose_name=_("SK"), on_delete=models.CASCADE, related_name="members", null=True, blank=True
    )
    name = models.CharField(_("nama"), max_length=150)
    office = models.CharField(_("jabatan"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("instansi"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    position = models.ForeignKey(
        Position, verbose_name=_("kedudukan dalam tim"), on_delete=models.PROTECT, related_name="members"
    )
    phone = models.CharField(
        _("telepon"),
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^\+?[0-9 ()-]{6,30}$", _("Nomor telepon tidak valid."))],
    )
    email = models.EmailField(_("surel"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun pengguna"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
    )
    active_from = models.DateField(_("aktif mulai"), null=True, blank=True)
    active_until = models.DateField(_("aktif sampai"), null=True, blank=True)

    objects = ScopedManager.from_queryset(MemberQuerySet)()
    scope_field = "team__region"

    class Meta:
        ordering = ["team_id", "position__order", "name", "id"]
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim")
        indexes = [models.Index(fields=["team", "decree"], name="member_team_decree_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(active_until__isnull=True)
                | models.Q(active_from__isnull=True)
                | models.Q(active_until__gte=models.F("active_from")),
                name="member_active_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.office})" if self.office else self.name


def teams_in_scope(region_code):
    """The ids of the teams at `region_code` and below, as a subquery."""
    return Team.objects.filter(scope_q("region", region_code)).values("id")


class MeetingQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The organising team's scope, plus meetings that invite a team in the user's scope."""
        base = super().visible_to(user)
        if (
            user is None
            or not getattr(user, "is_authenticated", False)
            or not user.is_active
            or user.is_admin_role
            or user.role == user.Role.MEMBER
            or not user.region_id
        ):
            return base
        # Written as id sets over the meeting's own columns, not as joins ORed together: an OR across
        # joined tables makes PostgreSQL join every meeting before filtering; this way an index on the
        # meeting (its time, its team) drives the query and the sets are probed by hash.
        teams = teams_in_scope(user.region_id)
        invited = Invitation.objects.filter(team_id__in=teams).values("meeting_id")
        return self.filter(models.Q(team_id__in=teams) | models.Q(pk__in=invited))

    def visible_to_member(self, user):
        """Meetings the member is invited to: by name, through their institution or their team."""
        return self.filter(pk__in=Invitation.objects.all().visible_to_member(user).values("meeting_id"))


def default_reminder_offsets():
    return list(settings.KONFLIK_TEAMS_MEETING_REMINDER_OFFSETS)


class Meeting(TimeStampedModel):
    """A coordination meeting (rapat koordinasi) of a team: when, where, agenda, invitees, minutes."""

    class Kind(models.TextChoices):
        PLAN_DRAFTING = "plan_drafting", _("Penyusunan rencana aksi")
        PERIOD_EVALUATION = "period_evaluation", _("Evaluasi periode")
        LIMITED = "limited", _("Rapat terbatas")
        OTHER = "other", _("Lainnya")

    Period = Period  # the reporting periods, one type for every app (`konflik.periods`)

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Terjadwal")
        POSTPONED = "postponed", _("Ditunda")
        CANCELLED = "cancelled", _("Dibatalkan")
        HELD = "held", _("Terlaksana")

    team = models.ForeignKey(
        Team, verbose_name=_("tim penyelenggara"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(_("jenis rapat"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices, blank=True)
    title = models.CharField(_("judul"), max_length=200)
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    online_link = models.URLField(_("tautan daring"), max_length=500, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    minutes = models.TextField(_("notulen"), blank=True)
    # Minutes before the start at which invitees are reminded (7 days, 1 day, 2 hours by default).
    reminder_offsets = models.JSONField(
        _("pengingat (menit sebelum mulai)"), default=default_reminder_offsets
    )
    # Bumped on every change of time or status, for calendar clients (.ics SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedManager.from_queryset(MeetingQuerySet)()
    scope_field = "team__region"

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        indexes = [
            models.Index(fields=["team", "start"], name="meeting_team_start_idx"),
            # upcoming meetings (dashboard, lists): only the open ones, so it stays small as years pass
            models.Index(
                fields=["end"],
                condition=models.Q(status__in=["scheduled", "postponed"]),
                name="meeting_open_end_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="period_evaluation", period__in=["B04", "B08", "B12"])
                | (~models.Q(kind="period_evaluation") & models.Q(period="")),
                name="meeting_period_only_for_evaluation",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("teams:meeting_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in (self.Status.SCHEDULED, self.Status.POSTPONED)


class InvitationQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """Every line of a meeting organised in the user's scope; elsewhere, the lines whose invitee
        (member, institution or team) is in it. A regency invited to a province meeting sees its own
        lines, not another regency's: those invitees answer 404 to it on their own."""
        base = super().visible_to(user)
        if (
            user is None
            or not getattr(user, "is_authenticated", False)
            or not user.is_active
            or user.is_admin_role
            or user.role == user.Role.MEMBER
            or not user.region_id
        ):
            return base
        # Id sets over the line's own columns, as in `MeetingQuerySet.visible_to`.
        teams = teams_in_scope(user.region_id)
        return self.filter(
            models.Q(meeting_id__in=Meeting.objects.filter(team_id__in=teams).values("id"))
            | models.Q(team_id__in=teams)
            | models.Q(member_id__in=Member.objects.filter(team_id__in=teams).values("id"))
            | models.Q(
                institution_id__in=Institution.objects.filter(scope_q("region", user.region_id)).values("id")
            )
        )

    def visible_to_member(self, user):
        """The lines that reach the member: by name, through their institution or their team."""
        memberships = Member.objects.filter(user=user)
        return self.filter(
            models.Q(member__user=user)
            | models.Q(institution__in=memberships.exclude(institution=None).values("institution_id"))
            | models.Q(team__in=memberships.values("team_id"))
        )


class Invitation(models.Model):
    """One invitee of a meeting: a member, a whole institution or a whole team; with attendance."""

    class Attendance(models.TextChoices):
        UNKNOWN = "unknown", _("Belum dicatat")
        PRESENT = "present", _("Hadir")
        REPRESENTED = "represented", _("Diwakilkan")
        ABSENT = "absent", _("Tidak hadir")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    attendance = models.CharField(
        _("kehadiran"), max_length=12, choices=Attendance.choices, default=Attendance.UNKNOWN
    )
    attendee_name = models.CharField(_("nama yang hadir"), max_length=200, blank=True)

    objects = ScopedManager.from_queryset(InvitationQuerySet)()
    scope_field = "meeting__team__region"

    class Meta:
        ordering = ["id"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False, institution__isnull=True, team__isnull=True)
                | models.Q(member__isnull=True, institution__isnull=False, team__isnull=True)
                | models.Q(member__isnull=True, institution__isnull=True, team__isnull=False),
                name="invitation_exactly_one_invitee",
            ),
            models.UniqueConstraint(fields=["meeting", "member"], name="invitation_unique_member"),
            models.UniqueConstraint(fields=["meeting", "institution"], name="invitation_unique_institution"),
            models.UniqueConstraint(fields=["meeting", "team"], name="invitation_unique_team"),
        ]

    def __str__(self):
        return str(self.member or self.institution or self.team)


minutes_upload_to = stored_file_path  # the name migration 0002 refers to


class MinutesAttachmentQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """A meeting's files go with it: whoever may open the meeting (an invited team, an invited
        member) may see and download its minutes."""
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class MinutesAttachment(StoredFile):
    """A file attached to a meeting's minutes; served only through a permission-checked view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    updated = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = ScopedManager.from_queryset(MinutesAttachmentQuerySet)()
    scope_field = "meeting__team__region"
    upload_policy = uploads.MINUTES

    class Meta:
        ordering = ["id"]
        verbose_name = _("lampiran notulen")
        verbose_name_plural = _("lampiran notulen")


class FollowUpQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        """The organising team's scope, plus items owned by members of a team in the user's scope."""
        base = super().visible_to(user)
        if (
            user is None
            or not getattr(user, "is_authenticated", False)
            or not user.is_active
            or user.is_admin_role
            or user.role == user.Role.MEMBER
            or not user.region_id
        ):
            return base
        # As `MeetingQuerySet.visible_to`: id sets over the item's own columns (its organising team
        # and its owner), not ORed joins through every meeting and member.
        teams = teams_in_scope(user.region_id)
        return self.filter(
            models.Q(team_id__in=teams)
            | models.Q(owner_id__in=Member.objects.filter(team_id__in=teams).values("id"))
        )

    def visible_to_member(self, user):
        return self.filter(owner__user=user)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=FollowUp.Status.OPEN, due_date__lt=today)


class FollowUp(TimeStampedModel):
    """A decision of a meeting that someone must carry out by a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        DONE = "done", _("Selesai")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    # The meeting's organising team, copied by `services.followup_create` and the bulk seed's INSERT (a
    # meeting never changes team; `manage.py reconcile` checks the copy), so that scope is a column of
    # the item: no join through every meeting to find the items in scope.
    team = models.ForeignKey(
        Team, verbose_name=_("tim penyelenggara"), on_delete=models.CASCADE, related_name="+", editable=False
    )
    description = models.TextField(_("uraian"))
    owner = models.ForeignKey(
        Member, verbose_name=_("penanggung jawab"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    due_date = models.DateField(_("tenggat"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    objects = ScopedManager.from_queryset(FollowUpQuerySet)()
    scope_field = "team__region"

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        indexes = [models.Index(fields=["status", "due_date"], name="followup_status_due_idx")]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return reverse("teams:followup_detail", args=[self.pk])

    def is_overdue(self, today=None):
        return self.status == self.Status.OPEN and self.due_date < (today or timezone.localdate())


class CalendarToken(models.Model):
    """The secret in a user's personal calendar feed URL; replacing it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("token kalender")
        verbose_name_plural = _("token kalender")

    def __str__(self):
        return f"{self.user_id}"
