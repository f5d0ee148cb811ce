from django.contrib import admin

from .models import Decree, FollowUp, Institution, Meeting, Member, Position, Team


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    """The configurable list of positions in a team (Ketua, Wakil Ketua, Sekretaris, Anggota...)."""

    list_display = ["name", "order"]
    list_editable = ["order"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "decree_number", "valid_until"]
    raw_id_fields = ["current_decree"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]


admin.site.register(Decree)
admin.site.register(Member, list_display=["name", "team", "position", "institution"], raw_id_fields=["user"])
admin.site.register(Meeting, list_display=["title", "team", "start", "status"])
admin.site.register(FollowUp, list_display=["description", "owner", "due_date", "status"])
