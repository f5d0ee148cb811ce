from django.apps import AppConfig


class ActionplansConfig(AppConfig):
    name = "actionplans"
    default_auto_field = "django.db.models.BigAutoField"
