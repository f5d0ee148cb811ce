"""Read-only admin: reports are requested and produced through the services."""

from django.contrib import admin

from konflik.admin import ReadOnlyAdmin

from .models import IncidentRollup, PeriodicReport


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ReadOnlyAdmin):
    list_display = ["team", "year", "period", "status", "progress", "automatic", "created"]
    list_filter = ["status", "period", "automatic"]


@admin.register(IncidentRollup)
class IncidentRollupAdmin(ReadOnlyAdmin):
    list_display = ["region", "year", "month", "source_of_conflict", "stage", "status", "incidents", "deaths"]
    list_filter = ["year", "status"]
