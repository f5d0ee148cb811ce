"""Writes of the core app, and the audit helper every service in every app calls."""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from .context import request_id_var
from .models import AuditEvent, Region, User
from .scoping import scope_region_code


def _plain(value):
    """A JSON-safe rendering of a field value for the audit log."""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "url"):  # a FieldFile
        return value.name or ""
    return value


def snapshot(obj, fields=None) -> dict:
    """The concrete field values of `obj` (foreign keys by id), for before/after comparison."""
    result = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("created", "updated", "password") or field.generated:
            continue  # a generated column is the database's copy of other fields
        result[field.name] = _plain(getattr(obj, field.attname))
    return result


def diff(before: dict | None, after: dict | None) -> dict:
    """`{field: [before, after]}` for the fields that differ."""
    before, after = before or {}, after or {}
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _current_task_id() -> str:
    from celery import current_task

    return (current_task.request.id or "") if current_task else ""


def audit_log(
    *,
    actor,
    action: str,
    obj,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    region_code: str | None = None,
) -> AuditEvent:
    """Record one audit event: who did what to which object, with the changed fields before/after.

    `before`/`after` are `snapshot()` dicts; for a create pass only `after`, for a delete only `before`.
    The event's region (which scopes who may read it) is taken from `region_code` or the object's
    `scope_field` (`konflik.scoping.scope_region_code`).
    """
    if region_code is None:
        region_code = scope_region_code(obj)
    actor_user = actor if isinstance(actor, User) and actor.pk else None
    return AuditEvent.objects.create(
        actor=actor_user,
        actor_repr=(actor.get_username() if actor_user else str(actor or "system"))[:150],
        action=action,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        region_id=region_code,
        changes=diff(before, after),
        note=note,
        request_id=request_id_var.get(),
        task_id=_current_task_id(),
    )


@transaction.atomic
def user_provision(
    *,
    username: str,
    role: str,
    region_code: str | None,
    password: str,
    actor=None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create or update an account with a role and a region; refuses unknown roles and regions."""
    from django.core.exceptions import ValidationError

    if role not in User.Role.values:
        raise ValidationError({"role": f"unknown role {role!r}; choose one of {', '.join(User.Role.values)}"})
    region = None
    if region_code:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            raise ValidationError({"region": f"unknown region code {region_code!r}"})
    elif role != User.Role.ADMIN:
        raise ValidationError({"region": f"the role {role!r} needs a region"})
    user = User.objects.filter(username=username).first()
    before = snapshot(user) if user else None
    user = user or User(username=username)
    user.role, user.region = role, region
    user.email = email or user.email
    user.first_name = first_name or user.first_name
    user.last_name = last_name or user.last_name
    user.is_staff = role == User.Role.ADMIN
    user.is_superuser = role == User.Role.ADMIN
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_log(
        actor=actor, action="update" if before else "create", obj=user, before=before, after=snapshot(user)
    )
    return user
