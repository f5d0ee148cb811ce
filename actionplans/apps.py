from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionplansConfig(AppConfig):
    name = "actionplans"
    verbose_name = _("Rencana Aksi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from konflik import navigation
        from konflik.permissions import PROVINCE_ROLES, READ_ROLES, WRITE_ROLES

        from . import reminders

        reminders.register()
        navigation.register(
            key="actionplans",
            label=_("Rencana Aksi"),
            url_name="actionplans:list",
            roles=READ_ROLES,
            order=20,
        )
        navigation.register(
            key="actionplans-due",
            label=_("Realisasi jatuh tempo"),
            url_name="actionplans:due",
            roles=WRITE_ROLES - PROVINCE_ROLES,
            order=21,
        )
        navigation.register(
            key="actionplans-submissions",
            label=_("Pengiriman realisasi"),
            url_name="actionplans:submissions",
            roles=READ_ROLES - (WRITE_ROLES - PROVINCE_ROLES),
            order=22,
        )
