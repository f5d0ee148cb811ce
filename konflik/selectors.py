"""Reads of the core app, all built on `visible_to(user)`."""

from .models import AuditEvent, Region


def region_children(*, user, parent_code: str | None):
    """Regions directly below `parent_code` within the user's scope; without a parent, the top of it."""
    qs = Region.objects.visible_to(user).select_related("parent")
    if parent_code:
        return qs.filter(parent_id=parent_code)
    if user.is_admin_role or not user.region_id:
        return qs.filter(parent__isnull=True)
    return qs.filter(code=user.region_id)


def region_breadcrumbs(*, user, region):
    if region is None:
        return []
    codes = [*Region.ancestor_codes(region.code), region.code]
    return list(Region.objects.visible_to(user).filter(code__in=codes).order_by("code"))


def object_history(*, user, obj, limit=200):
    """The audit events of one object, if the user may see them (scoped like everything else)."""
    return list(AuditEvent.objects.visible_to(user).for_object(obj).select_related("actor")[:limit])


def user_list(*, user):
    """Accounts, for administrators only (anyone else gets none), with whether each has a confirmed
    TOTP device."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    if not (user.is_authenticated and user.is_active and user.is_admin_role):
        return User.objects.none()
    return (
        User.objects.select_related("region")
        .annotate(has_mfa=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)))
        .order_by("username")
    )
