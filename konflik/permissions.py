"""One place that decides what a role may do, for HTML views and for the API.

Reads: every authenticated, active user may call a read endpoint; what they see is limited by
`visible_to(user)`, so another region's object is a 404. Writes: only the roles a view lists in
`write_roles` (default: admin and the two secretariats); anyone else gets 403. A view can narrow an
action further with `action_roles = {"verify": PROVINCE_ROLES}`.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from rest_framework import permissions

from .models import User

Role = User.Role
ALL_ROLES = frozenset(Role.values)
WRITE_ROLES = frozenset({Role.ADMIN, Role.PROVINCE_SECRETARIAT, Role.REGENCY_SECRETARIAT})
PROVINCE_ROLES = frozenset({Role.ADMIN, Role.PROVINCE_SECRETARIAT})
READ_ROLES = frozenset({Role.ADMIN, Role.PROVINCE_SECRETARIAT, Role.REGENCY_SECRETARIAT, Role.LEADERSHIP})


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser else user.role


def has_role(user, roles) -> bool:
    return role_of(user) in roles


class RolePermission(permissions.BasePermission):
    """DRF default: deny anonymous and inactive users; writes only for the view's write roles."""

    def has_permission(self, request, view):
        role = role_of(request.user)
        if role is None:
            return False
        action = getattr(view, "action", None)
        action_roles = getattr(view, "action_roles", {})
        if action in action_roles:
            return role in action_roles[action]
        if request.method in permissions.SAFE_METHODS:
            return role in getattr(view, "read_roles", ALL_ROLES)
        return role in getattr(view, "write_roles", WRITE_ROLES)


class RoleRequiredMixin(LoginRequiredMixin):
    """HTML views: anonymous users go to the login page; a signed-in user without the role gets 403.

    `roles` lists who may open the view at all (default: everyone signed in); `write_roles` who may
    POST to it (default: admin and secretariats).
    """

    roles = ALL_ROLES
    write_roles = WRITE_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        role = role_of(request.user)
        if role not in self.roles:
            raise PermissionDenied
        if request.method not in ("GET", "HEAD", "OPTIONS") and role not in self.write_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin:
    """HTML views over a scoped model: the queryset is always `visible_to(request.user)`."""

    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)
