"""Writes of the core app, and the audit helper every service in every app calls."""

import datetime
import decimal
import logging
import secrets
import uuid

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .context import request_id_var
from .models import ApiToken, AuditEvent, Region, User
from .scoping import scope_region_code

security_log = logging.getLogger("konflik.security")


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
    if before:  # a new password for an existing account: its API tokens go with the old one
        api_tokens_revoke_all(user=user, actor=actor, reason="password_change")
    return user


# --- Accounts: managed by administrators on `/pengguna/` -------------------------------------------

# What an account's audit events compare (never the password hash).
ACCOUNT_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "region",
    "is_active",
    "is_staff",
    "is_superuser",
)
# The levels a role's region may have: a secretariat works at its own level; leadership and team
# members belong to a province's or a regency's/city's team; an administrator sees everything.
ROLE_REGION_LEVELS = {
    User.Role.PROVINCE_SECRETARIAT: {Region.Level.PROVINCE},
    User.Role.REGENCY_SECRETARIAT: {Region.Level.REGENCY, Region.Level.CITY},
    User.Role.LEADERSHIP: {Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY},
    User.Role.MEMBER: {Region.Level.PROVINCE, Region.Level.REGENCY, Region.Level.CITY},
}


def account_snapshot(user) -> dict:
    return snapshot(user, fields=ACCOUNT_FIELDS)


def _require_admin(actor):
    if not (actor and actor.is_authenticated and actor.is_active and actor.is_admin_role):
        raise PermissionDenied


def _check_role_region(role: str, region):
    if role not in User.Role.values:
        raise ValidationError({"role": _("Peran tidak dikenal.")})
    if role == User.Role.ADMIN:
        return
    if region is None:
        raise ValidationError({"region": _("Peran ini memerlukan wilayah.")})
    if region.level not in ROLE_REGION_LEVELS[role]:
        allowed = ", ".join(str(Region.Level(level).label) for level in sorted(ROLE_REGION_LEVELS[role]))
        raise ValidationError(
            {"region": _("Wilayah untuk peran ini harus bertingkat: %(levels)s.") % {"levels": allowed}}
        )


def _set_role(user, role: str, region):
    user.role, user.region = role, region
    # the admin site and `role_of` read these flags: they follow the role, nothing else sets them
    user.is_staff = user.is_superuser = role == User.Role.ADMIN


def _end_sessions(user) -> int:
    """Delete every stored session of `user` (database sessions, the configured engine)."""
    from django.contrib.sessions.models import Session

    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _revoke_api_tokens(user, actor, reason) -> int:
    return api_tokens_revoke_all(user=user, actor=actor, reason=reason)


def _validate_password(password: str, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    role: str,
    region=None,
    password: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create an account with a role and a region; the password must pass the password validators."""
    _require_admin(actor)
    _check_role_region(role, region)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    _set_role(user, role, region)
    user.full_clean(exclude=["password"])
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_log(actor=actor, action="create", obj=user, after=account_snapshot(user))
    security_log.info(
        "account created user=%s role=%s region=%s by=%s", user.pk, role, user.region_id, actor.pk
    )
    return user


@transaction.atomic
def user_update(
    *, actor, user: User, role: str, region=None, first_name: str, last_name: str, email: str
) -> User:
    """Change an account's name, e-mail, role and region. An administrator cannot take away their own
    administrator role (someone must be left to manage accounts)."""
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk and role != User.Role.ADMIN:
        raise ValidationError({"role": _("Anda tidak dapat mencabut peran administrator Anda sendiri.")})
    _check_role_region(role, region)
    before = account_snapshot(user)
    _set_role(user, role, region)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.full_clean(exclude=["password"])
    user.save()
    after = account_snapshot(user)
    if before != after:
        audit_log(actor=actor, action="update", obj=user, before=before, after=after)
        security_log.info(
            "account changed user=%s fields=%s by=%s",
            user.pk,
            ",".join(sorted(diff(before, after))),
            actor.pk,
        )
    return user


@transaction.atomic
def user_deactivate(*, actor, user: User) -> User:
    """Deactivate an account: it can no longer sign in, its sessions end and its API tokens are
    revoked (so that a later reactivation does not bring them back)."""
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(_("Anda tidak dapat menonaktifkan akun Anda sendiri."))
    if not user.is_active:
        raise ValidationError(_("Akun ini sudah nonaktif."))
    before = account_snapshot(user)
    # revoked here, before the save, so that this event counts them (the deactivation signal would
    # revoke them too, on any path, but without this action's actor)
    tokens = _revoke_api_tokens(user, actor, "deactivation")
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = _end_sessions(user)
    audit_log(
        actor=actor,
        action="deactivate",
        obj=user,
        before=before,
        after=account_snapshot(user),
        note=f"sessions ended: {sessions}; API tokens revoked: {tokens}",
    )
    security_log.warning(
        "account deactivated user=%s sessions_ended=%s tokens_revoked=%s by=%s",
        user.pk,
        sessions,
        tokens,
        actor.pk,
    )
    return user


@transaction.atomic
def user_reactivate(*, actor, user: User) -> User:
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ValidationError(_("Akun ini sudah aktif."))
    before = account_snapshot(user)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_log(actor=actor, action="reactivate", obj=user, before=before, after=account_snapshot(user))
    security_log.warning("account reactivated user=%s by=%s", user.pk, actor.pk)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> User:
    """An administrator sets a new password for someone else (their own is changed, with the old one,
    on the password page). Every session and API token of the account ends with the old password."""
    _require_admin(actor)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == actor.pk:
        raise ValidationError(_("Ubah kata sandi Anda sendiri lewat halaman Ubah kata sandi."))
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    sessions, tokens = _end_sessions(user), _revoke_api_tokens(user, actor, "password_reset")
    audit_log(
        actor=actor,
        action="password_reset",
        obj=user,
        before={"password": "(old)"},
        after={"password": "(new)"},
        note=f"sessions ended: {sessions}; API tokens revoked: {tokens}",
    )
    security_log.warning(
        "password reset user=%s sessions_ended=%s tokens_revoked=%s by=%s",
        user.pk,
        sessions,
        tokens,
        actor.pk,
    )
    return user


# --- MFA reset --------------------------------------------------------------------------------------
# Same name and signature as the sec-auth branch's version (which also revokes tokens and e-mails the
# user); the two are reconciled when the branches are merged. This one: delete the TOTP devices, audit.


# --- Password, second factor and API tokens ----------------------------------------------------------


@transaction.atomic
def user_password_change(*, user: User, password: str, actor) -> User:
    """Set a new password (already validated by the form): audited, logged, and every API token of the
    user revoked. The caller keeps its own session with `update_session_auth_hash`."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_log(actor=actor, action="password_change", obj=user, region_code=user.region_id)
    security_log.info("password changed user=%s by=%s", user.pk, getattr(actor, "pk", None))
    api_tokens_revoke_all(user=user, actor=actor, reason="password_change")
    return user


def _mail_user(user: User, subject: str, body: str):
    """A security notice to the user's own address (Indonesian), after the transaction commits."""
    if not user.email:
        return

    def send():
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except OSError:  # the change is made; a mail server that is down must not turn it into a 500
            security_log.exception("security notice not mailed user=%s", user.pk)

    transaction.on_commit(send)


@transaction.atomic
def user_mfa_enrol(*, user: User, device, actor) -> None:
    """Confirm `device` (a TOTP device whose code was just verified) as the user's only device.

    A first enrolment revokes the API tokens issued without a one-time code (from now on the account
    has a second factor). Replacing a confirmed device is a security event: the old devices are
    deleted, every API token is revoked, it is audited and logged, and the user is told by e-mail.
    The caller must have checked that the session was verified with the existing device.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    others = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
    replacing = others.filter(confirmed=True).exists()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    others.delete()
    if not replacing:
        audit_log(actor=actor, action="mfa_enrol", obj=user, region_code=user.region_id)
        security_log.info("mfa device enrolled user=%s", user.pk)
        for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True, mfa_verified=False):
            api_token_revoke(token=token, actor=actor, reason="mfa_enrol")
        return
    audit_log(actor=actor, action="mfa_replace", obj=user, region_code=user.region_id)
    security_log.warning("mfa device replaced user=%s by=%s", user.pk, getattr(actor, "pk", None))
    api_tokens_revoke_all(user=user, actor=actor, reason="mfa_replace")
    with translation.override(settings.LANGUAGE_CODE):
        _mail_user(
            user,
            _("Perangkat verifikasi dua langkah akun Anda diganti"),
            _(
                "Perangkat verifikasi dua langkah akun %(username)s baru saja diganti, dan semua token "
                "API akun ini dicabut. Bila bukan Anda yang menggantinya, segera hubungi administrator."
            )
            % {"username": user.get_username()},
        )


@transaction.atomic
def user_mfa_reset(*, user: User, actor) -> int:
    """An administrator removes every TOTP device of `user` (a lost phone): every API token is revoked,
    the reset is audited and logged, and the user is told by e-mail. At the next sign-in the user
    enrols a device again. Returns how many devices were removed."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_admin(actor)
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    audit_log(
        actor=actor,
        action="mfa_reset",
        obj=user,
        before={"mfa_devices": removed},
        after={"mfa_devices": 0},
        region_code=user.region_id,
    )
    security_log.warning("mfa reset user=%s devices=%s by=%s", user.pk, removed, getattr(actor, "pk", None))
    api_tokens_revoke_all(user=user, actor=actor, reason="mfa_reset")
    with translation.override(settings.LANGUAGE_CODE):
        _mail_user(
            user,
            _("Verifikasi dua langkah akun Anda direset"),
            _(
                "Administrator menghapus perangkat verifikasi dua langkah akun %(username)s, dan semua "
                "token API akun ini dicabut. Saat masuk berikutnya Anda akan diminta mendaftarkan "
                "perangkat baru. Bila Anda tidak memintanya, segera hubungi administrator."
            )
            % {"username": user.get_username()},
        )
    return removed


@transaction.atomic
def api_token_issue(*, user: User, name: str, mfa_verified: bool) -> tuple[ApiToken, str]:
    """A new token for the client `name` of `user`; a token the same client had is revoked. Returns the
    token and its key: the key is shown once and only its hash is stored."""
    # two requests for the same client at once: the second waits here, then revokes the first's token
    User.objects.select_for_update().filter(pk=user.pk).first()
    for previous in ApiToken.objects.filter(user=user, name=name, revoked_at__isnull=True):
        api_token_revoke(token=previous, actor=user, reason="replaced")
    key = secrets.token_hex(20)
    token = ApiToken(
        user=user,
        name=name,
        key_hash=ApiToken.hash_key(key),
        expires=timezone.now() + datetime.timedelta(days=settings.KONFLIK_API_TOKEN_DAYS),
        mfa_verified=mfa_verified,
    )
    token.full_clean()
    token.save()
    audit_log(
        actor=user,
        action="api_token_create",
        obj=token,
        after=snapshot(token, fields=["name", "expires", "mfa_verified"]),
        region_code=user.region_id,
    )
    security_log.info("api token issued user=%s token=%s mfa=%s", user.pk, token.pk, mfa_verified)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor, reason: str = "revoked") -> ApiToken:
    """Revoke one token (its owner, or a password change, deactivation or reset); audited."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_log(
        actor=actor,
        action="api_token_revoke",
        obj=token,
        before={"revoked_at": None},
        after=snapshot(token, fields=["revoked_at"]),
        note=reason,
        region_code=token.user.region_id,
    )
    security_log.info("api token revoked user=%s token=%s reason=%s", token.user_id, token.pk, reason)
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user: User, actor, reason: str) -> int:
    """Revoke every token of `user` (password change, deactivation, second-factor reset or
    replacement); one audit event per token. Returns how many were revoked."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True).select_related("user"))
    for token in tokens:
        api_token_revoke(token=token, actor=actor, reason=reason)
    return len(tokens)
