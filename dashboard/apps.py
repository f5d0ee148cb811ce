from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dasbor pimpinan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from konflik import navigation
        from konflik.permissions import READ_ROLES, Role

        from . import notifications

        navigation.register(
            key="dashboard", label=_("Dasbor"), url_name="dashboard:home", roles=READ_ROLES, order=5
        )
        navigation.register(
            key="period_reports",
            label=_("Laporan periode"),
            url_name="dashboard:reports",
            roles=READ_ROLES,
            order=6,
        )
        navigation.register_start_page(Role.LEADERSHIP, "dashboard:home", priority=10)
        notifications.register_kinds()
