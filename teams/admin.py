"""Read-only admin: every change goes through the services (and so through the audit log)."""

from django.contrib import admin

from konflik.admin import ReadOnlyAdmin

from .models import Decree, FollowUp, Institution, Meeting, Member, Position, Team


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    """The list of positions in a team (Ketua, Wakil Ketua, Sekretaris, Anggota...), seeded by migration."""

    list_display = ["name", "order"]


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ["name", "region", "decree_number", "valid_until"]


@admin.register(Institution)
class InstitutionAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]


@admin.register(Decree)
class DecreeAdmin(ReadOnlyAdmin):
    pass


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["name", "team", "position", "institution"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "start", "status"]


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ["description", "owner", "due_date", "status"]
