from django.contrib import admin

from .models import ActionPlan, Activity, Evidence, Realisation


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["team", "year", "status", "approved_on"]
    list_filter = ["year", "status"]
    readonly_fields = ["status", "approved_on", "approval_reference", "copied_from"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "strategy", "sub_type", "is_national"]
    list_filter = ["strategy", "is_national"]
    search_fields = ["title"]
    raw_id_fields = ["plan", "responsible_institution", "place"]


@admin.register(Realisation)
class RealisationAdmin(admin.ModelAdmin):
    list_display = ["activity", "period", "status", "value", "achievement", "on_time"]
    list_filter = ["period", "status", "on_time"]
    raw_id_fields = ["activity"]
    readonly_fields = [
        "status",
        "achievement",
        "submitted_at",
        "first_submitted_at",
        "on_time",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "review_note",
    ]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "realisation", "content_type", "size", "created"]
    raw_id_fields = ["realisation"]
