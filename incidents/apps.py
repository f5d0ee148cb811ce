from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Kejadian dan peringatan dini")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from konflik import navigation
        from konflik.permissions import READ_ROLES

        from . import early_warning

        navigation.register(
            key="incidents", label=_("Kejadian"), url_name="incidents:list", roles=READ_ROLES, order=30
        )
        navigation.register(
            key="potentials",
            label=_("Potensi konflik"),
            url_name="incidents:potential_list",
            roles=READ_ROLES,
            order=31,
        )
        navigation.register(
            key="conflict_statuses",
            label=_("Status Keadaan Konflik"),
            url_name="incidents:status_list",
            roles=READ_ROLES,
            order=32,
        )
        navigation.register(key="map", label=_("Peta"), url_name="incidents:map", roles=READ_ROLES, order=33)
        early_warning.register_kinds()
