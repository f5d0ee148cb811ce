from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KonflikConfig(AppConfig):
    name = "konflik"
    verbose_name = _("Inti")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import navigation, signals, validators  # noqa: F401  (signals: the security log)
        from .models import User
        from .permissions import ALL_ROLES

        validators.install()  # no control characters in the project's text fields

        navigation.register(key="home", label=_("Beranda"), url_name="workspace", roles=ALL_ROLES, order=0)
        navigation.register(
            key="regions", label=_("Wilayah"), url_name="regions:list", roles=ALL_ROLES, order=90
        )
        navigation.register(
            key="users", label=_("Pengguna"), url_name="users:list", roles={User.Role.ADMIN}, order=95
        )
