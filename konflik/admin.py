"""The Django admin is a read-only window onto the data.

Every change goes through the services, and so through the audit log: a change made in the admin would
bypass both. Domain models are shown read-only (`ReadOnlyAdmin`); accounts are managed on the
application's own page (`/pengguna/`, konflik.accounts); what would show a secret (TOTP keys, API
tokens, password hashes) is not shown at all.
"""

import axes.admin  # noqa: F401  (registers axes' admins, replaced below by read-only ones)
import django_otp.plugins.otp_totp.admin  # noqa: F401  (registers the TOTP device admin, removed below)
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEvent, Region, User


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewing only: no add, change or delete for anyone, superusers included (view permission as
    Django decides it: superusers, and staff given the view permission)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(ReadOnlyAdmin, BaseUserAdmin):
    """Accounts are created and changed on `/pengguna/` (audited); the password hash is never shown."""

    list_display = ["username", "role", "region", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        (None, {"fields": ["username", "first_name", "last_name", "email"]}),
        (None, {"fields": ["role", "region", "is_active", "is_staff", "is_superuser"]}),
        (None, {"fields": ["last_login", "date_joined"]}),
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The app never changes or deletes audit events."""

    list_display = ["created", "actor_repr", "action", "object_repr", "region"]
    list_filter = ["action", "content_type"]


# Third-party admins: sign-in records stay visible, read-only (a lockout ends with the cool-off or
# `manage.py axes_reset`); groups are not how konflik grants rights, but they grant admin-site
# permissions, so they are read-only too.
admin.site.unregister(Group)
admin.site.register(Group, type("GroupAdmin", (ReadOnlyAdmin, BaseGroupAdmin), {}))
for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    _base = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_base.__name__, (ReadOnlyAdmin, _base), {}))

# TOTP devices would show their secret key (as a QR code) and API tokens their key: either would let
# an administrator act as the user. Devices are reset from `/pengguna/`; tokens are revoked there too.
admin.site.unregister(TOTPDevice)
