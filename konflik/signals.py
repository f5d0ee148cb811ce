"""Security log: sign-in, failures, lockouts and sign-out, without passwords, tokens or session keys;
and the API tokens of a deactivated account revoked."""

import logging

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from .clientip import client_ip

log = logging.getLogger("konflik.security")


def _ip(request):
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    from .middleware import mark_session_at_login

    if request is not None and hasattr(request, "session"):
        mark_session_at_login(request, user)
    log.info("login user=%s ip=%s", user.pk, _ip(request))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    log.info("logout user=%s ip=%s", getattr(user, "pk", None), _ip(request))


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # credentials are already cleansed by Django (the password is masked); log only the username
    log.warning("login failed username=%r ip=%s", str(credentials.get("username", ""))[:150], _ip(request))
    from .lockout import record_address_failure

    record_address_failure(request)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    log.warning("login locked out username=%r ip=%s", str(username)[:150], ip_address)


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def remember_activity(sender, instance, update_fields=None, **kwargs):
    """Notes whether this save deactivates the account (read back in `revoke_tokens_on_deactivation`)."""
    instance._konflik_deactivated = False
    if instance.pk is None or instance.is_active or (update_fields and "is_active" not in update_fields):
        return
    instance._konflik_deactivated = sender.objects.filter(pk=instance.pk, is_active=True).exists()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def revoke_tokens_on_deactivation(sender, instance, created, **kwargs):
    """A deactivated account loses its API tokens for good, whoever deactivated it (the user pages, the
    Django admin, a shell): its sessions already end because the account is inactive, but a token
    would come back to life with a reactivation. A signal because every one of those paths saves the
    user and none of them shares a service."""
    if getattr(instance, "_konflik_deactivated", False):
        from .services import api_tokens_revoke_all

        instance._konflik_deactivated = False
        api_tokens_revoke_all(user=instance, actor=None, reason="deactivation")
        log.info("account deactivated user=%s", instance.pk)
