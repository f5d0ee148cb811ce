"""Tim Terpadu: one team per region (the province and each regency/city), its institutions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from konflik.models import Region, TimeStampedModel
from konflik.scoping import ScopedManager


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
