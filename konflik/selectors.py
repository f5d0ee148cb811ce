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
