"""Sign-in limits.

- django-axes locks out a (username, address) pair after `KONFLIK_LOGIN_FAILURE_LIMIT` failures; what
  a locked-out sign-in gets is `lockout_response`: the lockout page in the browser, JSON under /api/
  (the token endpoint), both with status 429.
- Password spraying (one address trying many usernames) is counted per address across usernames:
  `KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT` failures within `KONFLIK_LOGIN_ADDRESS_WINDOW_MINUTES` refuse
  every sign-in from that address until the window ends (`konflik.middleware.SignInAddressLimitMiddleware`,
  counted by the `user_login_failed` receiver in `konflik.signals`).

The address is `konflik.clientip.client_ip`. The per-address counter lives in the cache and fails open:
while the cache is unreachable, axes' lockout (in the database) still applies.
"""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .clientip import client_ip

log = logging.getLogger("konflik.security")

# the longest username axes records (its column holds 255; no account's name is longer than 150)
MAX_RECORDED_USERNAME = 150


def lockout_response(request, original_response=None, credentials=None):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Terlalu banyak percobaan masuk; coba lagi nanti.")}, status=429)
    return render(request, "registration/locked_out.html", status=429)


def attempted_username(request, credentials=None):
    """The username django-axes records and locks out by (`AXES_USERNAME_CALLABLE`): axes' own choice,
    cut to a length its table holds, so that no caller of `authenticate()` can make it fail."""
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "data", request.POST)
    value = source.get(field)
    return None if value is None else str(value)[:MAX_RECORDED_USERNAME]


def _address_key(address):
    # an IPv6 client commonly holds a whole /64: count the network, not each of its addresses
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        parsed = None
    if parsed is not None and parsed.version == 6:
        address = str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return f"konflik:sign-in-failures:{address}"


def record_address_failure(request) -> None:
    """Count one failed sign-in from the request's address; the window starts at the first failure."""
    if request is None:
        return
    address = client_ip(request)
    key = _address_key(address)
    try:
        cache.add(key, 0, timeout=settings.KONFLIK_LOGIN_ADDRESS_WINDOW_MINUTES * 60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=settings.KONFLIK_LOGIN_ADDRESS_WINDOW_MINUTES * 60)
            count = 1
    except Exception:
        log.warning("sign-in failures per address not counted: cache unavailable", exc_info=True)
        return
    if count == settings.KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT:
        log.warning("login address limit reached ip=%s failures=%s", address, count)


def address_limit_reached(request) -> bool:
    try:
        count = cache.get(_address_key(client_ip(request)), 0)
    except Exception:
        log.warning("sign-in failures per address not checked: cache unavailable", exc_info=True)
        return False
    return count >= settings.KONFLIK_LOGIN_ADDRESS_FAILURE_LIMIT
