from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Tim Terpadu")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from konflik import navigation
        from konflik.permissions import ALL_ROLES, READ_ROLES, Role

        from . import reminder_kinds

        reminder_kinds.register_all()
        navigation.register(
            key="teams", label=_("Tim Terpadu"), url_name="teams:team_list", roles=READ_ROLES, order=10
        )
        navigation.register(
            key="meetings", label=_("Rapat"), url_name="teams:meeting_list", roles=ALL_ROLES, order=11
        )
        navigation.register(
            key="followups",
            label=_("Tindak lanjut"),
            url_name="teams:followup_list",
            roles=ALL_ROLES,
            order=12,
        )
        navigation.register(
            key="calendar", label=_("Kalender"), url_name="teams:calendar", roles=ALL_ROLES, order=13
        )
        for role in (Role.PROVINCE_SECRETARIAT, Role.REGENCY_SECRETARIAT, Role.MEMBER):
            navigation.register_start_page(role, "teams:meeting_list", priority=5)
