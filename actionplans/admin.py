"""Read-only admin: every change goes through the services (and so through the audit log)."""

from django.contrib import admin

from konflik.admin import ReadOnlyAdmin

from .models import ActionPlan, Activity, Evidence, Realisation


@admin.register(ActionPlan)
class ActionPlanAdmin(ReadOnlyAdmin):
    list_display = ["team", "year", "status", "approved_on"]
    list_filter = ["year", "status"]


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "strategy", "sub_type", "is_national"]
    list_filter = ["strategy", "is_national"]
    search_fields = ["title"]


@admin.register(Realisation)
class RealisationAdmin(ReadOnlyAdmin):
    list_display = ["activity", "period", "status", "value", "achievement", "on_time"]
    list_filter = ["period", "status", "on_time"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "realisation", "content_type", "size", "created"]
