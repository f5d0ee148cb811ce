"""Security log: sign-in, failures, lockouts and sign-out, without passwords, tokens or session keys."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
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
