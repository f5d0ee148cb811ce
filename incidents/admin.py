"""Read-only admin: every change goes through the services (and so through the audit log)."""

from django.contrib import admin

from konflik.admin import ReadOnlyAdmin

from .models import Attachment, ConflictPotential, ConflictStatus, Incident, IncidentUpdate


@admin.register(Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "region", "occurred_on", "status", "deaths"]
    list_filter = ["status", "stage", "source_of_conflict"]
    search_fields = ["number", "title"]


@admin.register(IncidentUpdate)
class IncidentUpdateAdmin(ReadOnlyAdmin):
    list_display = ["incident", "occurred_on", "created_by"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "incident", "content_type", "size", "created"]


@admin.register(ConflictPotential)
class ConflictPotentialAdmin(ReadOnlyAdmin):
    list_display = ["title", "region", "risk_level", "status", "next_review_on"]
    list_filter = ["risk_level", "status"]


@admin.register(ConflictStatus)
class ConflictStatusAdmin(ReadOnlyAdmin):
    list_display = ["decree_number", "scale", "region", "start_date", "end_date", "revoked_on"]
