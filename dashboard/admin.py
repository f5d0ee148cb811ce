"""Read-only admin: reports are requested and produced through the services."""

from django.contrib import admin

from .models import IncidentRollup, PeriodicReport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ReadOnlyAdmin):
    list_display = ["team", "year", "period", "status", "progress", "automatic", "created"]
    list_filter = ["status", "period", "automatic"]


@admin.register(IncidentRollup)
class IncidentRollupAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "month", "source_of_conflict", "stage", "status", "incidents", "deaths"]
    list_filter = ["year", "status"]
